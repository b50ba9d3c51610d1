// Small progressive enhancements for every page; the site works without them.

document.addEventListener("click", (event) => {
  if (event.target.closest("[data-print]")) {
    window.print();
  }
});

// The n/1000 comment counter. It counts exactly as the server does (COMMENT_MAX_LENGTH):
// Unicode code points, after \r\n and lone \r become \n.
const countCharacters = (text) => [...text.replace(/\r\n?/g, "\n")].length;

function bindCommentCounter(textarea) {
  const limit = Number(textarea.dataset.commentLimit);
  const field = textarea.closest(".field");
  const count = field.querySelector("[data-comment-count]");
  const warning = field.querySelector(".comment-over-limit");
  const update = () => {
    const over = countCharacters(textarea.value) > limit;
    count.textContent = countCharacters(textarea.value);
    field.classList.toggle("over-limit", over);
    warning.hidden = !over;
    textarea.toggleAttribute("aria-invalid", over);
    return over;
  };
  textarea.addEventListener("input", update);
  textarea.form.addEventListener("submit", (event) => {
    if (update()) {
      event.preventDefault(); // the server would refuse it; keep the text and say why
      textarea.focus();
    }
  });
  update();
}

document.querySelectorAll("textarea[data-comment-limit]").forEach(bindCommentCounter);
