// The moderation queue (comments/admin.py): a row's hide, restore or keep button is sent in
// the background, the row is redrawn in place and the result is announced. Without this
// script the same buttons post the form and the page comes back to the same filtered list.
"use strict";
{
  const form = document.getElementById("moderation-form");
  const status = document.getElementById("moderation-status");
  let fading;

  const announce = (text, failed) => {
    const message = document.createElement("p");
    message.className = failed ? "mod-toast-error" : "mod-toast-success";
    message.textContent = text;
    status.replaceChildren(message);
    clearTimeout(fading);
    fading = setTimeout(() => status.replaceChildren(), 10000);
  };

  form?.addEventListener("submit", async (event) => {
    const button = event.submitter;
    const row = button?.closest("tr");
    if (!row) {
      return; // not a row's button: the browser sends the form as usual
    }
    event.preventDefault();
    button.disabled = true;
    try {
      const response = await fetch(button.formAction, {
        method: "POST",
        body: new FormData(form),
        headers: { Accept: "application/json" },
        credentials: "same-origin",
      });
      const type = response.headers.get("Content-Type") || "";
      if (!response.ok || !type.startsWith("application/json")) {
        throw new Error(`HTTP ${response.status}`);
      }
      const result = await response.json();
      for (const [name, html] of Object.entries(result.cells)) {
        const cell = row.querySelector(`.field-${name}`);
        if (cell) {
          cell.innerHTML = html; // rendered by the server, every reader's text escaped
        }
      }
      announce(result.message, false);
      // Keep the keyboard where it was: on the row's next decision.
      row.querySelector(".field-decision summary, .field-decision a")?.focus();
    } catch {
      button.disabled = false;
      announce(form.dataset.failure, true);
    }
  });
}
