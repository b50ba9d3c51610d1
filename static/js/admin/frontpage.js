// 메인 편집: drag a pinned story to another slot (the Up and Down buttons do the same
// without a mouse), and count down to each pin's and banner's end.
(() => {
  "use strict";

  function sortable(list) {
    const form = document.querySelector(".front-order-form");
    if (!form) return;
    let dragged = null;
    list.addEventListener("dragstart", (event) => {
      dragged = event.target.closest("li[data-pin]");
      if (!dragged) return;
      dragged.classList.add("front-dragging");
      event.dataTransfer.effectAllowed = "move";
      event.dataTransfer.setData("text/plain", dragged.dataset.pin);
    });
    list.addEventListener("dragover", (event) => {
      const over = event.target.closest("li[data-pin]");
      if (!dragged || !over || over === dragged) return;
      event.preventDefault();
      const box = over.getBoundingClientRect();
      const after = event.clientY > box.top + box.height / 2;
      over.parentNode.insertBefore(dragged, after ? over.nextSibling : over);
    });
    list.addEventListener("drop", (event) => event.preventDefault());
    list.addEventListener("dragend", () => {
      if (!dragged) return;
      dragged.classList.remove("front-dragging");
      dragged = null;
      const order = [...list.querySelectorAll("li[data-pin]")].map((li) => li.dataset.pin);
      form.elements.order.value = order.join(",");
      form.submit();
    });
  }

  function countdowns() {
    const clocks = document.querySelectorAll(".front-countdown[data-ends]");
    if (!clocks.length) return;
    // The admin's JavaScript catalog (locale/*/djangojs.po) answers gettext.
    const left = (hours, minutes) => interpolate(
      hours
        ? gettext("(%(hours)s h %(minutes)s min left)")
        : gettext("(%(minutes)s min left)"),
      { hours, minutes },
      true,
    );
    const tick = () => {
      for (const clock of clocks) {
        const minutes = Math.max(0, Math.ceil((Date.parse(clock.dataset.ends) - Date.now()) / 60000));
        clock.textContent = left(Math.floor(minutes / 60), minutes % 60);
      }
    };
    tick();
    setInterval(tick, 30000);
  }

  document.addEventListener("DOMContentLoaded", () => {
    const list = document.querySelector(".front-slots[data-sortable]");
    if (list) sortable(list);
    countdowns();
  });
})();
