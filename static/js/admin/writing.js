// The writing screen (templates/admin/articles/article/change_form.html): live counts
// under the headline, summary and body; autosave to the server; the autosave offer; a
// warning before leaving text that is not saved.
"use strict";
(() => {
  const AUTOSAVE_EVERY_MS = 20_000;
  const AUTOSAVE_AFTER_BLUR_MS = 1_000;
  // One sheet of 원고지 (Korean manuscript paper) holds 200 characters, spaces included;
  // a sheet begun counts as a whole one.
  const SHEET_CHARACTERS = 200;

  const formatNumber = (value) => value.toLocaleString(document.documentElement.lang || undefined);

  // The editor django-prose-editor made for this textarea, now or once it is made.
  function whenEditorReady(textarea, use) {
    const editor = textarea.closest(".prose-editor")?.querySelector(".tiptap")?.editor;
    if (editor) {
      use(editor);
      return;
    }
    document.addEventListener("prose-editor:ready", (event) => {
      if (event.detail.textarea === textarea) use(event.detail.editor);
    });
  }

  // A line under `after` that describes `field`, for counts.
  function addCountLine(after, field) {
    const line = document.createElement("p");
    line.className = "writing-count";
    line.id = `${field.id || "id_body_editor"}_count`;
    after.after(line);
    const describedBy = field.getAttribute("aria-describedby");
    field.setAttribute("aria-describedby", describedBy ? `${describedBy} ${line.id}` : line.id);
    return line;
  }

  function countUpToLimit(input) {
    const line = addCountLine(input, input);
    const update = () => {
      const count = countCharacters(input.value);
      line.textContent = interpolate(
        gettext("Characters: %(count)s / %(limit)s"),
        { count: formatNumber(count), limit: formatNumber(input.maxLength) },
        true,
      );
      line.classList.toggle("over-limit", count > input.maxLength);
    };
    input.addEventListener("input", update);
    update();
  }

  function countBody(textarea, editor) {
    const line = addCountLine(textarea.closest(".prose-editor"), editor.view.dom);
    const update = () => {
      // Paragraphs are joined by one line break, which counts as one character.
      const text = editor.getText({ blockSeparator: "\n" });
      const characters = countCharacters(text);
      line.textContent = interpolate(
        gettext(
          "Characters: %(characters)s (%(letters)s without spaces) · " +
            "Manuscript sheets: %(sheets)s (200 characters each, rounded up)",
        ),
        {
          characters: formatNumber(characters),
          letters: formatNumber(countCharacters(text.replace(/\s/g, ""))),
          sheets: formatNumber(Math.ceil(characters / SHEET_CHARACTERS)),
        },
        true,
      );
    };
    editor.on("update", update);
    update();
  }

  function bindCounts(form) {
    for (const name of ["title", "summary"]) {
      const input = form.elements[name];
      if (input && input.maxLength > 0) countUpToLimit(input);
    }
    const body = form.elements.body;
    if (body) whenEditorReady(body, (editor) => countBody(body, editor));
  }

  // Django's autocomplete fields (select2) leave their boxes unnamed for screen readers:
  // each gets its field's label (and a single choice, the chosen value after it).
  function nameAutocompletes(form) {
    for (const select of form.querySelectorAll("select.admin-autocomplete")) {
      const label = form.querySelector(`label[for="${select.id}"]`);
      const box = select.nextElementSibling;
      if (!label || !box?.classList.contains("select2")) continue;
      label.id ||= `${select.id}_label`;
      const chosen = box.querySelector(".select2-selection__rendered[id]");
      box.querySelector("[role=combobox]")?.setAttribute(
        "aria-labelledby",
        select.multiple || !chosen ? label.id : `${label.id} ${chosen.id}`,
      );
      for (const part of box.querySelectorAll("[role=textbox], .select2-search__field")) {
        part.setAttribute("aria-labelledby", label.id);
      }
      // Its mouse-only "clear all" cross, redrawn on every change, would break the list
      // of choices it sits in for screen readers.
      const choices = box.querySelector(".select2-selection__rendered");
      const hideClear = () => {
        choices.querySelector(".select2-selection__clear")?.setAttribute("aria-hidden", "true");
      };
      new MutationObserver(hideClear).observe(choices, { childList: true });
      hideClear();
    }
  }

  class SessionEnded extends Error {}

  function bindWritingScreen(desk) {
    const form = desk.closest("form");
    const fields = desk.dataset.autosavedFields.split(" ");
    const status = form.querySelector("[data-autosave-status]");
    let unsaved = desk.hasAttribute("data-unsaved"); // the form came back with errors
    let changedSinceAutosave = false;
    let autosaving = false;
    let saving = false;
    let bodyEditor = null;
    whenEditorReady(form.elements.body, (editor) => {
      bodyEditor = editor;
    });

    // POST to one of the writing screen's endpoints; resolves to the status it reports.
    const post = async (url, { withText = false, keepalive = false } = {}) => {
      const data = new FormData();
      data.append("csrfmiddlewaretoken", form.elements.csrfmiddlewaretoken.value);
      if (withText) {
        for (const name of fields) data.append(name, form.elements[name]?.value ?? "");
      }
      // "manual": an expired session answers with a redirect to the login page, not JSON.
      const response = await fetch(url, {
        method: "POST", body: data, credentials: "same-origin", redirect: "manual", keepalive,
      });
      if (response.type === "opaqueredirect") throw new SessionEnded();
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      return (await response.json()).status;
    };

    const autosave = async ({ keepalive = false } = {}) => {
      if (autosaving || saving) return;
      autosaving = true;
      changedSinceAutosave = false;
      try {
        status.textContent = await post(desk.dataset.autosaveUrl, { withText: true, keepalive });
        status.classList.remove("failed");
      } catch (error) {
        changedSinceAutosave = true; // tried again at the next turn
        status.textContent = error instanceof SessionEnded
          ? gettext(
            "Could not autosave: you are logged out. Log in again in another tab, then save.",
          )
          : gettext("Could not autosave. Your text is still here: save the article to keep it.");
        status.classList.add("failed");
      } finally {
        autosaving = false;
      }
    };

    const changed = () => {
      unsaved = true;
      changedSinceAutosave = true;
    };
    form.addEventListener("input", changed);
    form.addEventListener("change", changed);
    setInterval(() => changedSinceAutosave && autosave(), AUTOSAVE_EVERY_MS);
    // On leaving a field, after a moment: a click on a save button leaves the field first,
    // and an autosave arriving after the save would offer the saved text back next time.
    let afterBlur;
    form.addEventListener("focusout", () => {
      clearTimeout(afterBlur);
      afterBlur = setTimeout(() => changedSinceAutosave && autosave(), AUTOSAVE_AFTER_BLUR_MS);
    });
    document.addEventListener("visibilitychange", () => {
      // keepalive lets the request finish if the tab is being closed (up to 64 kB).
      if (document.visibilityState === "hidden" && changedSinceAutosave) {
        autosave({ keepalive: true });
      }
    });

    // Saving leaves the page on purpose; the preview opens another tab and leaves nothing.
    // Listened to on window, after the form's own listeners may have stopped the submit.
    window.addEventListener("submit", (event) => {
      const preview = event.submitter?.hasAttribute("data-preview");
      if (event.target === form && !event.defaultPrevented && !preview) saving = true;
    });
    window.addEventListener("beforeunload", (event) => {
      if (unsaved && !saving) event.preventDefault();
    });

    const offer = form.querySelector("[data-autosave-offer]");
    if (!offer) return;
    const autosaved = JSON.parse(document.getElementById("autosaved-fields").textContent);
    offer.querySelector("[data-autosave-load]").addEventListener("click", () => {
      for (const [name, value] of Object.entries(autosaved)) {
        const field = form.elements[name];
        if (name === "body") {
          bodyEditor.commands.setContent(value);
        } else if (field) {
          field.value = value;
          field.dispatchEvent(new Event("input", { bubbles: true }));
        }
      }
      changed();
      offer.remove();
      status.textContent = gettext(
        "The autosaved text is back in the form: save the article to keep it.",
      );
      form.elements.title?.focus();
    });
    offer.querySelector("[data-autosave-discard]").addEventListener("click", async () => {
      try {
        status.textContent = await post(desk.dataset.discardUrl);
        offer.remove();
        form.elements.title?.focus();
      } catch {
        status.textContent = gettext("Could not discard the autosaved text. Try again.");
      }
    });
  }

  document.addEventListener("DOMContentLoaded", () => {
    const desk = document.querySelector("[data-writing]");
    if (!desk) return;
    const form = desk.closest("form");
    bindCounts(form);
    bindWritingScreen(desk);
    // After the admin's own ready handlers, which turn those fields into select2 boxes.
    window.django?.jQuery(() => nameAutocompletes(form));
  });
})();
