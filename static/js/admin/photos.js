// The photo library on the writing screen (templates/admin/articles/photo/library_dialogs.html):
// the chooser for the lead photo and for body photos, the upload dialog, and the body
// editor's BodyPhoto node, which django-prose-editor loads from here
// (DJANGO_PROSE_EDITOR_EXTENSIONS in newsroom/settings.py). A body photo is stored as
// <figure data-photo-id="…"> with a plain picture and caption; the public page renders
// the library's photo in its place (articles/body_photos.py).
import { mergeAttributes, Node, Plugin, pm } from "django-prose-editor/editor"

const t = (text) => (window.gettext ? window.gettext(text) : text)

// ---- the chooser ------------------------------------------------------------------------

let chosen = null // what to do with the photo picked in the open chooser

function chooserDialog() {
  return document.getElementById("photo-chooser")
}

async function loadChooserPage(page = 1) {
  const dialog = chooserDialog()
  const results = dialog.querySelector("[data-chooser-results]")
  const params = new URLSearchParams(new FormData(dialog.querySelector("[data-chooser-search]")))
  params.set("page", page)
  results.setAttribute("aria-busy", "true")
  try {
    const response = await fetch(`${dialog.dataset.url}?${params}`, {
      credentials: "same-origin",
      headers: { "X-Requested-With": "XMLHttpRequest" },
    })
    if (!response.ok) throw new Error(response.statusText)
    // Our own server's HTML, escaped by its templates.
    results.innerHTML = await response.text()
  } catch {
    results.textContent = t("The photo library could not be loaded. Try again.")
  } finally {
    results.setAttribute("aria-busy", "false")
  }
}

export function openChooser(onChoose) {
  const dialog = chooserDialog()
  if (!dialog) return
  chosen = onChoose
  dialog.showModal()
  loadChooserPage(1)
}

function bindChooser() {
  const dialog = chooserDialog()
  if (!dialog || dialog.dataset.bound) return
  dialog.dataset.bound = "1"
  dialog.querySelector("[data-chooser-search]").addEventListener("submit", (event) => {
    event.preventDefault()
    loadChooserPage(1)
  })
  dialog.addEventListener("click", (event) => {
    const item = event.target.closest("[data-photo]")
    const page = event.target.closest("[data-chooser-page]")
    if (item) {
      const photo = JSON.parse(item.dataset.photo)
      const use = chosen
      dialog.close()
      use?.(photo)
    } else if (page) {
      loadChooserPage(page.dataset.chooserPage)
    } else if (event.target.closest("[data-chooser-upload]")) {
      const use = chosen
      dialog.close()
      openUpload({ onUploaded: use })
    } else if (event.target.closest("[data-dialog-close]")) {
      dialog.close()
    }
  })
}

// ---- the upload dialog ------------------------------------------------------------------

let uploaded = null // what to do with the photo once it is in the library

function uploadDialog() {
  return document.getElementById("photo-upload")
}

export function openUpload({ file = null, onUploaded }) {
  const dialog = uploadDialog()
  if (!dialog) return
  const form = dialog.querySelector("[data-upload-form]")
  const token = form.elements.csrfmiddlewaretoken.value
  form.reset()
  form.elements.csrfmiddlewaretoken.value = token
  dialog.querySelector("[data-upload-errors]").replaceChildren()
  dialog.querySelector("[data-upload-status]").textContent = ""
  uploaded = onUploaded
  dialog.showModal()
  if (file) {
    const transfer = new DataTransfer()
    transfer.items.add(file)
    form.elements.image.files = transfer.files
    form.elements.image.dispatchEvent(new Event("change", { bubbles: true }))
    form.elements.alt_text.focus()
  }
}

function showErrors(form, errors) {
  const box = form.querySelector("[data-upload-errors]")
  const list = document.createElement("ul")
  list.className = "errorlist"
  for (const [name, messages] of Object.entries(errors)) {
    const label = form.elements[name]?.labels?.[0]?.textContent.trim()
    for (const message of messages) {
      const item = document.createElement("li")
      item.textContent = label ? `${label}: ${message}` : message
      list.append(item)
    }
    form.elements[name]?.setAttribute("aria-invalid", "true")
  }
  box.replaceChildren(list)
}

function bindUpload() {
  const dialog = uploadDialog()
  if (!dialog || dialog.dataset.bound) return
  dialog.dataset.bound = "1"
  const form = dialog.querySelector("[data-upload-form]")
  const status = dialog.querySelector("[data-upload-status]")
  dialog.querySelector("[data-dialog-close]").addEventListener("click", () => dialog.close())
  form.addEventListener("submit", async (event) => {
    event.preventDefault()
    for (const input of form.querySelectorAll("[aria-invalid]")) input.removeAttribute("aria-invalid")
    const missing = {}
    if (!form.elements.image.files.length) missing.image = [t("Choose a picture.")]
    if (!form.elements.alt_text.value.trim()) {
      missing.alt_text = [t("Describe the picture for readers who cannot see it.")]
    }
    if (Object.keys(missing).length) {
      showErrors(form, missing)
      return
    }
    const button = form.querySelector("[type=submit]")
    button.disabled = true
    status.textContent = t("Uploading…")
    try {
      const response = await fetch(form.action, {
        method: "POST",
        body: new FormData(form),
        credentials: "same-origin",
        headers: { "X-Requested-With": "XMLHttpRequest" },
      })
      const answer = response.headers.get("content-type")?.includes("json") ? await response.json() : {}
      if (response.status === 201) {
        status.textContent = ""
        const use = uploaded
        dialog.close()
        use?.(answer.photo)
      } else {
        status.textContent = ""
        showErrors(form, answer.errors || { __all__: [t("The photo could not be uploaded. Try again.")] })
      }
    } catch {
      status.textContent = ""
      showErrors(form, { __all__: [t("The photo could not be uploaded. Try again.")] })
    } finally {
      button.disabled = false
    }
  })
}

// ---- the lead photo ---------------------------------------------------------------------

function bindLeadPhoto() {
  const dialog = chooserDialog()
  const select = document.querySelector("form select[name=lead_photo]")
  if (!dialog || !select || select.dataset.libraryBound) return
  select.dataset.libraryBound = "1"
  const button = document.createElement("button")
  button.type = "button"
  button.className = "button photo-library-button"
  button.textContent = dialog.dataset.leadLabel
  const anchor = select.closest(".related-widget-wrapper") || select
  const preview = document.createElement("img")
  preview.className = "photo-lead-preview"
  preview.alt = ""
  preview.hidden = true
  anchor.after(button, preview)
  const show = (photo) => {
    preview.hidden = !photo
    preview.dataset.photoId = photo ? String(photo.id) : ""
    if (photo) {
      preview.src = photo.src
      preview.alt = photo.alt
    }
  }
  if (dialog.dataset.leadId) {
    show({ id: dialog.dataset.leadId, src: dialog.dataset.leadSrc, alt: dialog.dataset.leadAlt })
  }
  // Picked another way (the autocomplete) or cleared: the picture shown would be wrong.
  const forget = () => {
    if (select.value !== preview.dataset.photoId) show(null)
  }
  select.addEventListener("change", forget)
  window.django?.jQuery?.(select).on("change", forget)
  button.addEventListener("click", () =>
    openChooser((photo) => {
      let option = [...select.options].find((o) => o.value === String(photo.id))
      if (!option) {
        option = new Option(photo.caption || photo.alt, photo.id)
        select.append(option)
      }
      select.value = String(photo.id)
      show(photo)
      // The autocomplete (select2, on Django's jQuery) shows the new choice on "change".
      if (window.django?.jQuery) window.django.jQuery(select).trigger("change")
      else select.dispatchEvent(new Event("change", { bubbles: true }))
      button.focus()
    }),
  )
}

function start() {
  bindChooser()
  bindUpload()
  bindLeadPhoto()
}

if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start)
else start()

// ---- the body editor --------------------------------------------------------------------

function photoContent(photo) {
  return {
    type: "bodyPhoto",
    attrs: {
      photoId: String(photo.id),
      src: photo.src,
      alt: photo.alt,
      caption: photo.caption,
    },
  }
}

// After the photo the caret goes to the start of the paragraph below it, made empty if the
// next block is not a paragraph: the next key typed or paste continues the text below the
// photo. Left as Tiptap leaves it, the photo stayed selected (as a node) and the next key
// replaced it, or, after a drop, the caret stayed in the paragraph above.
function caretBelowPhoto({ tr, dispatch }) {
  const step = tr.steps[tr.steps.length - 1]
  if (!step) return true
  let from = 0
  let to = tr.doc.content.size
  step.getMap().forEach((_oldStart, _oldEnd, newStart, newEnd) => {
    from = newStart
    to = newEnd
  })
  let photoEnd = null
  tr.doc.nodesBetween(from, Math.min(to, tr.doc.content.size), (node, pos) => {
    if (photoEnd !== null) return false
    if (node.type.name === "bodyPhoto" && pos >= from) {
      photoEnd = pos + node.nodeSize
      return false
    }
    return true
  })
  if (photoEnd === null) return true
  const paragraph = tr.doc.type.schema.nodes.paragraph
  const $end = tr.doc.resolve(photoEnd)
  if ($end.nodeAfter?.type !== paragraph) {
    if (!$end.parent.canReplaceWith($end.index(), $end.index(), paragraph)) return true
    tr.insert(photoEnd, paragraph.create())
  }
  if (dispatch) tr.setSelection(pm.state.TextSelection.create(tr.doc, photoEnd + 1)).scrollIntoView()
  return true
}

function insertPhoto(editor, photo, position = null) {
  const chain = editor.chain().focus()
  if (position === null) chain.insertContent(photoContent(photo))
  else chain.insertContentAt(Math.min(position, editor.state.doc.content.size), photoContent(photo))
  chain.command(caretBelowPhoto).run()
}

function imageFiles(list) {
  return [...(list || [])].filter((file) => file.type.startsWith("image/"))
}

export const BodyPhoto = Node.create({
  name: "bodyPhoto",
  group: "block",
  atom: true,
  draggable: true,
  selectable: true,

  addAttributes() {
    return {
      photoId: {
        default: null,
        parseHTML: (element) => element.getAttribute("data-photo-id"),
        renderHTML: (attributes) => ({ "data-photo-id": attributes.photoId }),
      },
      src: {
        default: "",
        parseHTML: (element) => element.querySelector("img")?.getAttribute("src") || "",
        renderHTML: () => ({}),
      },
      alt: {
        default: "",
        parseHTML: (element) => element.querySelector("img")?.getAttribute("alt") || "",
        renderHTML: () => ({}),
      },
      caption: {
        default: "",
        parseHTML: (element) => element.querySelector("figcaption")?.textContent.trim() || "",
        renderHTML: () => ({}),
      },
    }
  },

  parseHTML() {
    // Before the plain Figure's rule, which takes any <figure>.
    return [{ tag: "figure[data-photo-id]", priority: 60 }]
  },

  renderHTML({ node, HTMLAttributes }) {
    const image = ["img", { src: node.attrs.src, alt: node.attrs.alt }]
    const figure = ["figure", mergeAttributes(HTMLAttributes), image]
    if (node.attrs.caption) figure.push(["figcaption", node.attrs.caption])
    return figure
  },

  addMenuItems({ buttons, menu }) {
    const editor = this.editor
    const enabled = (current) => current.can().insertContent({ type: "bodyPhoto" })
    menu.defineItem({
      name: "bodyPhoto",
      groups: "nodes",
      button: buttons.material("add_photo_alternate", t("Choose from the photo library")),
      enabled,
      command: (current) => openChooser((photo) => insertPhoto(current || editor, photo)),
    })
    if (uploadDialog()) {
      menu.defineItem({
        name: "bodyPhotoUpload",
        groups: "nodes",
        button: buttons.material("upload", t("Upload a photo into the body")),
          enabled,
        command: (current) =>
          openUpload({ onUploaded: (photo) => insertPhoto(current || editor, photo) }),
      })
    }
  },

  addProseMirrorPlugins() {
    const editor = this.editor
    return [
      new Plugin({
        props: {
          // A picture dragged in from the desktop goes to the library first.
          handleDrop(view, event, _slice, moved) {
            const files = imageFiles(event.dataTransfer?.files)
            if (moved || !files.length || !uploadDialog()) return false
            event.preventDefault()
            const position = view.posAtCoords({ left: event.clientX, top: event.clientY })?.pos ?? null
            openUpload({ file: files[0], onUploaded: (photo) => insertPhoto(editor, photo, position) })
            return true
          },
          handlePaste(_view, event) {
            // Word and HWP put a picture of the copied text beside its HTML: that paste
            // is text (and tables), not a photo.
            if (event.clipboardData?.types.includes("text/html")) return false
            const files = imageFiles(event.clipboardData?.files)
            if (!files.length || !uploadDialog()) return false
            event.preventDefault()
            openUpload({ file: files[0], onUploaded: (photo) => insertPhoto(editor, photo) })
            return true
          },
        },
      }),
    ]
  },
})
