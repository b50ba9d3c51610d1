// The body editor's toolbar in the admin's language. django-prose-editor translates its
// dialogs with gettext (answered by the admin's JavaScript catalog, locale/*/djangojs.po),
// but its toolbar titles are English words written into its bundle. Its Menu extension
// builds the toolbar from items defined through menu.defineItem(), shortly after the
// editor exists (it announces that with "prose-editor:ready"): this wraps defineItem so
// that each item gets its title from our catalog instead. Loaded before the editor.
// It also gives the editable area its field's label as its name.
"use strict";
(() => {
  const titles = {
    paragraph: () => gettext("Paragraph"),
    bulletList: () => gettext("Bulleted list"),
    orderedList: () => gettext("Numbered list"),
    blockquote: () => gettext("Quotation"),
    horizontalRule: () => gettext("Horizontal line"),
    figure: () => gettext("Insert a picture"),
    bold: () => gettext("Bold"),
    italic: () => gettext("Italic"),
    underline: () => gettext("Underline"),
    strike: () => gettext("Strikethrough"),
    subscript: () => gettext("Subscript"),
    superscript: () => gettext("Superscript"),
    link: () => gettext("Insert link"),
    unlink: () => gettext("Remove link"),
    "history:undo": () => gettext("Undo"),
    "history:redo": () => gettext("Redo"),
  };

  const titleOf = (name) => {
    const heading = /^heading(\d)$/.exec(name);
    if (heading) return interpolate(gettext("Heading %s"), [heading[1]]);
    return titles[name]?.();
  };

  // The editable area is named by its field's label, which points at the hidden textarea.
  const nameEditor = (editor, textarea) => {
    const label = document.querySelector(`label[for="${textarea.id}"]`);
    if (!label) return;
    label.id ||= `${textarea.id}_label`;
    editor.view.dom.setAttribute("aria-labelledby", label.id);
    label.addEventListener("click", () => editor.commands.focus());
  };

  document.addEventListener("prose-editor:ready", (event) => {
    const { editor, textarea } = event.detail;
    nameEditor(editor, textarea);
    const menu = editor.storage.menu?.menu;
    if (!menu) return;
    const defineItem = menu.defineItem;
    menu.defineItem = (item) => {
      const title = titleOf(item.name);
      if (title) {
        if (item.button) {
          item.button.title = title;
          item.button.setAttribute("aria-label", title);
        }
        if (item.option) item.option.textContent = title;
      }
      defineItem(item);
    };
  });
})();
