// Counts ad impressions from the reader's browser, so the counts stay right when the
// page itself comes from a cache: one beacon per slot, once half of it has been seen.
// Each slot's template loads this file; slots already watched are marked and skipped.
(() => {
  if (!("IntersectionObserver" in window) || !navigator.sendBeacon) {
    return;
  }
  const report = (slot) => {
    const body = new URLSearchParams();
    for (const id of slot.dataset.adPlacements.split(" ")) {
      body.append("placement", id);
    }
    navigator.sendBeacon(slot.dataset.adBeacon, body);
  };
  const observer = new IntersectionObserver(
    (entries) => {
      for (const entry of entries) {
        if (entry.isIntersecting) {
          observer.unobserve(entry.target);
          report(entry.target);
        }
      }
    },
    { threshold: 0.5 },
  );
  for (const slot of document.querySelectorAll("[data-ad-placements]:not([data-ad-watched])")) {
    slot.dataset.adWatched = "";
    observer.observe(slot);
  }
})();
