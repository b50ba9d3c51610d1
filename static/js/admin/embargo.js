// Keeps the time left before each embargo lifts counting down (templates/admin/articles/
// article/embargo_countdown.html): the server writes it once, in the desk's language; this
// rewrites it every 20 seconds the same way, two units at most ("23시간, 5분").
(function () {
  "use strict";
  if (window.newsroomEmbargoCountdown) return; // the list includes the script once per row
  window.newsroomEmbargoCountdown = true;

  var UNITS = [
    ["day", 86400000],
    ["hour", 3600000],
    ["minute", 60000],
  ];

  function left(ms) {
    var lang = document.documentElement.lang || "ko";
    var parts = [];
    for (var i = 0; i < UNITS.length && parts.length < 2; i++) {
      var count = Math.floor(ms / UNITS[i][1]);
      if (count > 0) {
        ms -= count * UNITS[i][1];
        parts.push(
          new Intl.NumberFormat(lang, { style: "unit", unit: UNITS[i][0], unitDisplay: "long" }).format(count)
        );
      } else if (parts.length) {
        break; // as Django's timeuntil: adjacent units only
      }
    }
    if (!parts.length) {
      parts.push(new Intl.NumberFormat(lang, { style: "unit", unit: "minute", unitDisplay: "long" }).format(0));
    }
    return parts.join(", ");
  }

  function tick() {
    var now = Date.now();
    document.querySelectorAll("time[data-embargo-left]").forEach(function (el) {
      var ms = Math.max(0, Date.parse(el.getAttribute("datetime")) - now);
      el.textContent = el.dataset.embargoLeft.replace("{left}", left(ms));
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    tick();
    setInterval(tick, 20000);
  });
})();
