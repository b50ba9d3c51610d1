// Tables and embeds for the article body editor (django-prose-editor, Tiptap).
// Loaded as an extension module (DJANGO_PROSE_EDITOR_EXTENSIONS in newsroom/settings.py);
// the names exported here are the extension names used in articles.models.BODY_EDITOR.
//
// - NewsTable: the editor's table with a caption (edited from the toolbar), Korean menu
//   titles and a Korean "insert table" dialog (the header row is a checkbox, on by default).
// - TablePaste: tables pasted from HWP (한글), Word, Excel, LibreOffice or Google Sheets
//   stay tables: Word's hidden "misaligned columns" row and spreadsheet column widths are
//   dropped; a <caption> stays (NewsTable keeps it as an attribute). The rest of
//   the junk (style, class, width, mso-*, <o:p>) never enters the editor's schema, and the
//   server's sanitizer (articles/sanitize.py) keeps only structure.
// - Embed: a YouTube video or a Google map, pasted as a link on its own line, as the
//   provider's <iframe> code, or inserted from the toolbar. The addresses accepted mirror
//   articles/embeds.py, which decides on the server.
import {
  Extension,
  Node,
  Plugin,
  Table,
  findParentNode,
  gettext,
  updateAttrsDialog,
} from "django-prose-editor/editor"

const YOUTUBE = "https://www.youtube-nocookie.com"
const MAPS = "https://www.google.com"
const YOUTUBE_HOSTS = new Set([
  "youtube.com",
  "www.youtube.com",
  "m.youtube.com",
  "music.youtube.com",
  "youtube-nocookie.com",
  "www.youtube-nocookie.com",
])
const MAPS_HOSTS = new Set(["www.google.com", "google.com", "maps.google.com"])
const VIDEO_ID = /^[A-Za-z0-9_-]{11}$/
const MAPS_PB = /^[A-Za-z0-9!._%*:-]{1,4000}$/
const START = /^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s?)?$/

const seconds = (value) => {
  const match = value ? START.exec(value) : null
  if (!match) return null
  const [h, m, s] = match.slice(1).map((part) => Number(part || 0))
  return h * 3600 + m * 60 + s || null
}

/** The safe iframe address for a pasted link or iframe src, or null (see articles/embeds.py). */
export function embedSrc(value) {
  let url
  try {
    url = new URL((value || "").trim().replace(/^\/\//, "https://"))
  } catch {
    return null
  }
  if (!["http:", "https:"].includes(url.protocol)) return null
  if (url.username || url.password || !["", "80", "443"].includes(url.port)) return null
  const host = url.hostname
  let id = null
  if (host === "youtu.be") {
    id = url.pathname.replace(/^\/+|\/+$/g, "")
  } else if (YOUTUBE_HOSTS.has(host)) {
    if (url.pathname === "/watch") id = url.searchParams.get("v")
    else id = /^\/(?:embed|shorts|live|v)\/([^/]+)\/?$/.exec(url.pathname)?.[1]
  }
  if (id && VIDEO_ID.test(id)) {
    const start = seconds(url.searchParams.get("start") || url.searchParams.get("t"))
    return `${YOUTUBE}/embed/${id}${start ? `?start=${start}` : ""}`
  }
  if (MAPS_HOSTS.has(host) && url.pathname === "/maps/embed") {
    const pb = url.searchParams.get("pb")
    if (pb && MAPS_PB.test(pb)) return `${MAPS}/maps/embed?pb=${encodeURIComponent(pb)}`
  }
  return null
}

// By the address's host, not its prefix: a src not (yet) rewritten to youtube-nocookie
// (www.youtube.com, youtu.be) is a video all the same.
const embedKind = (src) => {
  let host = ""
  try {
    host = new URL((src || "").trim().replace(/^\/\//, "https://")).hostname
  } catch {
    // not an address: neither
  }
  return host === "youtu.be" || YOUTUBE_HOSTS.has(host) ? "video" : "map"
}
const defaultTitle = (src) =>
  embedKind(src) === "video" ? gettext("YouTube video") : gettext("Map")

const IFRAME_ATTRIBUTES = {
  referrerpolicy: "strict-origin-when-cross-origin",
  loading: "lazy",
  allow: "fullscreen; picture-in-picture; encrypted-media",
}

// YouTube's snippet says "YouTube video player" in English: ours is better (so does
// articles/embeds.py).
const ownTitle = (title) => {
  title = (title || "").trim()
  return /^YouTube video player$/i.test(title) ? "" : title
}

/** A pasted text that is one link or one <iframe> snippet: its embed attributes, or null. */
function embedFromText(text) {
  text = (text || "").trim()
  if (!text || text.length > 5000) return null
  if (/^<iframe[\s>]/i.test(text)) {
    const doc = new DOMParser().parseFromString(text, "text/html")
    const frames = doc.querySelectorAll("iframe")
    if (frames.length !== 1) return null
    const src = embedSrc(frames[0].getAttribute("src"))
    if (!src) return null
    return { src, title: ownTitle(frames[0].getAttribute("title")) }
  }
  if (/\s/.test(text)) return null
  const src = embedSrc(text)
  return src ? { src, title: "" } : null
}

export const Embed = Node.create({
  name: "embed",
  group: "block",
  atom: true,
  draggable: true,
  selectable: true,

  addAttributes() {
    // Each attribute parses itself: Tiptap lays the attributes' own parseHTML (by default
    // the element's raw attribute) over what the rule's getAttrs returned, so without
    // these a pasted <iframe src="https://www.youtube.com/embed/…"> kept YouTube's
    // address instead of the youtube-nocookie one.
    return {
      src: {
        default: null,
        parseHTML: (element) => embedSrc(element.getAttribute("src")),
      },
      title: {
        default: "",
        parseHTML: (element) => ownTitle(element.getAttribute("title")),
      },
    }
  },

  parseHTML() {
    return [
      {
        tag: "iframe[src]",
        getAttrs: (dom) => {
          const src = embedSrc(dom.getAttribute("src"))
          return src ? { src, title: ownTitle(dom.getAttribute("title")) } : false
        },
      },
    ]
  },

  renderHTML({ node }) {
    const { src, title } = node.attrs
    return ["iframe", { src, title: title || defaultTitle(src), ...IFRAME_ATTRIBUTES }]
  },

  addNodeView() {
    return ({ node }) => {
      const dom = document.createElement("div")
      dom.className = "body-embed-node"
      dom.style.cssText =
        "margin:1em 0;padding:.5em;border:1px dashed #8a8a8a;border-radius:4px;max-width:560px"
      const label = document.createElement("div")
      label.style.cssText = "font-size:.85em;margin-bottom:.4em"
      const kind = defaultTitle(node.attrs.src)
      label.textContent = node.attrs.title ? `${kind}: ${node.attrs.title}` : kind
      const frame = document.createElement("iframe")
      frame.src = node.attrs.src
      frame.title = node.attrs.title || defaultTitle(node.attrs.src)
      for (const [name, value] of Object.entries(IFRAME_ATTRIBUTES)) {
        frame.setAttribute(name, value)
      }
      // Clicks select the embed (to move or delete it) rather than play it.
      frame.style.cssText = "display:block;width:100%;aspect-ratio:16/9;border:0;pointer-events:none"
      dom.append(label, frame)
      return { dom }
    }
  },

  addCommands() {
    return {
      // Into the body, never into a table cell: inside a table it goes after the table.
      insertEmbed:
        (attrs) =>
        ({ state, commands }) => {
          const table = findParentNode((node) => node.type.name === "table")(state.selection)
          const content = { type: this.name, attrs }
          return table
            ? commands.insertContentAt(table.pos + table.node.nodeSize, content)
            : commands.insertContent(content)
        },
    }
  },

  addMenuItems({ buttons, menu }) {
    menu.defineItem({
      name: "embed",
      groups: "nodes",
      button: buttons.material("smart_display", gettext("Insert video or map")),
      command(editor) {
        const dialog = updateAttrsDialog(
          {
            url: {
              type: "string",
              title: gettext("Address"),
              description: gettext(
                "A YouTube link or embed code, or a Google Maps embed address (Share → Embed a map).",
              ),
              required: true,
            },
            title: { type: "string", title: gettext("Title for screen readers") },
          },
          { title: gettext("Insert video or map"), submitText: gettext("Insert") },
        )
        dialog(editor, { url: "", title: "" }).then((attrs) => {
          if (!attrs) return
          const found = embedFromText(attrs.url)
          if (!found) {
            window.alert(
              gettext(
                "Only YouTube videos and Google Maps embeds can be inserted. Naver and Kakao maps need their own scripts, which the site does not run: add them as a link.",
              ),
            )
            return
          }
          editor
            .chain()
            .focus()
            .insertEmbed({ src: found.src, title: (attrs.title || found.title).trim() })
            .run()
        })
      },
    })
  },

  addProseMirrorPlugins() {
    const type = this.type
    return [
      new Plugin({
        props: {
          handlePaste(view, event) {
            const { $from, empty } = view.state.selection
            // A link becomes an embed only on its own line, as in other editors.
            const parent = $from.parent
            // An empty line, or the gap cursor between blocks (after a table at the end).
            const emptyLine = parent.isTextblock && parent.content.size === 0
            if (!empty || !(emptyLine || parent.type.name === "doc")) return false
            for (let depth = $from.depth; depth > 0; depth--) {
              if ($from.node(depth).type.name === "table") return false
            }
            const found = embedFromText(event.clipboardData?.getData("text/plain"))
            if (!found) return false
            view.dispatch(view.state.tr.replaceSelectionWith(type.create(found)).scrollIntoView())
            return true
          },
        },
      }),
    ]
  },
})

// Korean titles for the table's toolbar buttons (their names come from the editor's bundle).
const TABLE_TITLES = {
  table: () => gettext("Insert table"),
  "table:addColumnAfter": () => gettext("Add column after"),
  "table:deleteColumn": () => gettext("Delete column"),
  "table:addRowAfter": () => gettext("Add row after"),
  "table:deleteRow": () => gettext("Delete row"),
  "table:mergeCells": () => gettext("Merge cells"),
  "table:splitCell": () => gettext("Split cell"),
  "table:toggleHeaderCell": () => gettext("Header cell on or off"),
  "table:deleteTable": () => gettext("Delete table"),
}

const insertTableDialog = (editor, attrs) =>
  updateAttrsDialog(
  {
    rows: { type: "number", title: gettext("Rows"), format: "number", min: "1", max: "100" },
    cols: { type: "number", title: gettext("Columns"), format: "number", min: "1", max: "30" },
    withHeaderRow: { type: "boolean", title: gettext("First row is a header row") },
  },
  { title: gettext("Insert table"), submitText: gettext("Insert") },
)(editor, attrs)

const captionDialog = (editor, attrs) =>
  updateAttrsDialog(
    {
      caption: {
        type: "string",
        title: gettext("Table caption"),
        description: gettext("What the table shows, e.g. “2025 orders by quarter (100 million won)”."),
      },
    },
    { title: gettext("Table caption") },
  )(editor, attrs)

export const NewsTable = Table.extend({
  // The table's <caption> is an attribute of the table here: the editor's tables have no
  // caption node, and without this its text would become a stray first row.
  addAttributes() {
    return {
      ...this.parent?.(),
      caption: {
        default: "",
        parseHTML: (element) =>
          (element.querySelector(":scope > caption")?.textContent || "").replace(/\s+/g, " ").trim(),
        renderHTML: () => ({}),
      },
    }
  },

  parseHTML() {
    return [...(this.parent?.() || [{ tag: "table" }]), { tag: "caption", ignore: true }]
  },

  renderHTML(props) {
    const [tag, attributes, ...children] = this.parent(props)
    const caption = props.node.attrs.caption
    return caption
      ? [tag, attributes, ["caption", {}, caption], ...children]
      : [tag, attributes, ...children]
  },

  // The table's own view (column widths) with its caption shown above the rows.
  addNodeView() {
    const parentView = this.parent?.()
    if (!parentView) return null
    return (props) => {
      const view = parentView(props)
      const table = view.table || view.dom.querySelector("table")
      if (!table) return view
      const caption = document.createElement("caption")
      caption.contentEditable = "false"
      const show = (node) => {
        caption.textContent = node.attrs.caption || ""
        caption.hidden = !node.attrs.caption
      }
      show(props.node)
      table.prepend(caption)
      const update = view.update?.bind(view)
      if (update) {
        view.update = (node) => {
          if (!update(node)) return false
          show(node)
          return true
        }
      }
      const ignoreMutation = view.ignoreMutation?.bind(view)
      view.ignoreMutation = (mutation) =>
        caption.contains(mutation.target) || (ignoreMutation ? ignoreMutation(mutation) : false)
      return view
    }
  },

  addCommands() {
    return {
      ...this.parent?.(),
      insertTableWithOptions:
        () =>
        ({ editor }) => {
          insertTableDialog(editor, { rows: "3", cols: "3", withHeaderRow: true }).then(
            (attrs) => {
              if (!attrs) return
              const size = (value, max) =>
                Math.min(Math.max(Number.parseInt(value, 10) || 3, 1), max)
              editor
                .chain()
                .focus()
                .insertTable({
                  rows: size(attrs.rows, 100),
                  cols: size(attrs.cols, 30),
                  withHeaderRow: Boolean(attrs.withHeaderRow),
                })
                .run()
            },
          )
          return true
        },
      editTableCaption:
        () =>
        ({ editor }) => {
          captionDialog(editor, { caption: editor.getAttributes("table").caption || "" }).then(
            (attrs) => {
              if (!attrs) return
              const caption = (attrs.caption || "").replace(/\s+/g, " ").trim()
              editor.chain().focus().updateAttributes("table", { caption }).run()
            },
          )
          return true
        },
    }
  },

  addMenuItems(storage) {
    const menu = Object.create(storage.menu)
    menu.defineItem = (item) => {
      const title = TABLE_TITLES[item.name]?.()
      if (title && item.button) {
        item.button.title = title
        item.button.setAttribute("aria-label", title)
      }
      storage.menu.defineItem(item)
    }
    this.parent?.({ ...storage, menu })
    storage.menu.defineItem({
      name: "table:caption",
      groups: "table",
      command(editor) {
        editor.commands.editTableCaption()
      },
      button: storage.buttons.material("title", gettext("Table caption")),
      hidden: (editor) => !editor.isActive("table"),
    })
  },
})

/** Clipboard HTML from word processors and spreadsheets, made ready for the editor. */
export function cleanPastedTables(html) {
  if (!/<table[\s>]/i.test(html)) return html
  const doc = new DOMParser().parseFromString(html, "text/html")
  for (const table of doc.querySelectorAll("table")) {
    // Word adds a row of empty cells after <![if !supportMisalignedColumns]>.
    for (const row of table.querySelectorAll("tr")) {
      let marker = row.previousSibling
      while (marker?.nodeType === 3 && !marker.textContent.trim()) marker = marker.previousSibling
      const misaligned =
        marker?.nodeType === 8 && /supportMisalignedColumns/.test(marker.textContent)
      const blank = [...row.cells].every((cell) => !cell.textContent.trim() && !cell.querySelector("img"))
      if (blank && (misaligned || row.getAttribute("height") === "0")) row.remove()
    }
    // Excel and Sheets put widths on <col>: the site decides widths.
    for (const col of table.querySelectorAll("colgroup, col")) col.remove()
  }
  return doc.body.innerHTML
}

export const TablePaste = Extension.create({
  name: "tablePaste",
  addProseMirrorPlugins() {
    return [new Plugin({ props: { transformPastedHTML: cleanPastedTables } })]
  },
})
