// Prefills a photo's caption and credit from what the picture itself says (IPTC, XMP,
// EXIF), read on the server (articles/admin_photos.py, metadata_view) before the upload.
// Used by the library's own add form and by the writing screen's upload dialog
// (static/js/admin/photos.js); fields the person already filled are left alone.
"use strict";
(() => {
  function field(form, name) {
    return form.elements[name];
  }

  async function prefill(input, url) {
    const form = input.form;
    const file = input.files?.[0];
    const status = form.querySelector("[data-upload-status]");
    if (!file || !url) return;
    const data = new FormData();
    data.append("image", file);
    data.append("csrfmiddlewaretoken", field(form, "csrfmiddlewaretoken")?.value || "");
    let answer;
    try {
      const response = await fetch(url, {
        method: "POST",
        body: data,
        credentials: "same-origin",
        headers: { "X-Requested-With": "XMLHttpRequest" },
      });
      answer = await response.json();
    } catch {
      return; // prefilling is a help: the form works without it
    }
    if (input.files?.[0] !== file || !answer.metadata) return;
    const { caption, credit, byline } = answer.metadata;
    const filled = [];
    const fill = (name, value) => {
      const target = field(form, name);
      if (target && value && !target.value.trim()) {
        target.value = value.slice(0, target.maxLength > 0 ? target.maxLength : undefined);
        const label = target.labels?.[0]?.textContent.trim().replace(/[:：]$/, "");
        filled.push(label || name);
      }
    };
    fill("caption", caption);
    fill("credit", credit && byline && !credit.includes(byline) ? `${byline}/${credit}` : credit || byline);
    if (filled.length) {
      const message = interpolate(
        gettext("Filled from the picture: %(fields)s. Check them before saving."),
        { fields: filled.join(", ") },
        true,
      );
      if (status) status.textContent = message;
    }
  }

  function bind(input, url) {
    input.addEventListener("change", () => prefill(input, url));
  }

  function start() {
    for (const input of document.querySelectorAll("input[type=file][data-metadata-url]")) {
      bind(input, input.dataset.metadataUrl);
    }
    // The library's add form (templates/admin/articles/photo/change_form.html).
    const marker = document.querySelector("[data-photo-metadata-url]");
    const image = document.querySelector("#photo_form input[type=file][name=image]");
    if (marker && image) bind(image, marker.dataset.photoMetadataUrl);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
