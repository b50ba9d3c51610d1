// Small progressive enhancements for every page; the site works without them.

document.addEventListener("click", (event) => {
  if (event.target.closest("[data-print]")) {
    window.print();
  }
});

// The n/1000 comment counter. It counts exactly as the server does (COMMENT_MAX_LENGTH),
// with countCharacters (static/js/characters.js).
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

// Count this read of the article, even when the page itself came from a cache.
const readArticle = document.querySelector("[data-viewed-url]");
if (readArticle && navigator.sendBeacon) {
  navigator.sendBeacon(readArticle.dataset.viewedUrl);
}

// The most-read box: both lists stay readable without JavaScript; with it, they become tabs.
function makeTabs(box) {
  const panels = [...box.querySelectorAll(".most-read-list")];
  const tablist = document.createElement("div");
  tablist.className = "tabs";
  tablist.setAttribute("role", "tablist");
  const select = (chosen, focus = false) => {
    panels.forEach((panel, index) => {
      const tab = tablist.children[index];
      panel.hidden = index !== chosen;
      tab.setAttribute("aria-selected", String(index === chosen));
      tab.tabIndex = index === chosen ? 0 : -1;
      if (focus && index === chosen) tab.focus();
    });
  };
  panels.forEach((panel, index) => {
    const heading = panel.querySelector("[data-tab]");
    const tab = document.createElement("button");
    tab.type = "button";
    tab.id = `${panel.id}-tab`;
    tab.textContent = heading.textContent;
    tab.setAttribute("role", "tab");
    tab.setAttribute("aria-controls", panel.id);
    tab.addEventListener("click", () => select(index));
    tab.addEventListener("keydown", (event) => {
      const step = { ArrowRight: 1, ArrowLeft: -1 }[event.key];
      if (step) select((index + step + panels.length) % panels.length, true);
    });
    heading.hidden = true;
    panel.setAttribute("role", "tabpanel");
    panel.setAttribute("aria-labelledby", tab.id);
    tablist.append(tab);
  });
  box.querySelector(".box-title").after(tablist);
  select(0);
}

document.querySelectorAll("[data-tabs]").forEach(makeTabs);

// Reading tools: larger or smaller text (remembered in this browser). Sharing: share.js.
const FONT_SCALES = [0.9, 1, 1.15, 1.3, 1.45];
const storedScale = () => Number(localStorage.getItem("fontScale")) || 1;
const applyScale = (scale) => document.documentElement.style.setProperty("--font-size", `${scale}rem`);
applyScale(storedScale());

document.querySelectorAll("[data-needs-js]").forEach((element) => { element.hidden = false; });

document.addEventListener("click", (event) => {
  const fontButton = event.target.closest("[data-font-step]");
  if (fontButton) {
    const index = FONT_SCALES.indexOf(storedScale());
    const next = FONT_SCALES[Math.min(FONT_SCALES.length - 1,
      Math.max(0, (index < 0 ? 1 : index) + Number(fontButton.dataset.fontStep)))];
    localStorage.setItem("fontScale", String(next));
    applyScale(next);
  }
});

// Forms on pages cached for every reader carry an empty CSRF token: fetch the reader's
// own before sending (newsroom.templatetags.newsroom.form_token). Without JavaScript the
// server shows the form again, text kept, with a token.
document.addEventListener("submit", async (event) => {
  const form = event.target;
  const token = form.querySelector("input[data-csrf]");
  if (!token || token.value || event.defaultPrevented) return;
  event.preventDefault();
  const response = await fetch(token.dataset.csrf, { credentials: "same-origin" });
  token.value = (await response.json()).token;
  form.requestSubmit(event.submitter);
});
