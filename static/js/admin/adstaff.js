// The overbooking warning's "Cancel" saved nothing: close the warning and go to the dates,
// everything typed still in the form. Without script the link only jumps to the dates.
document.addEventListener("click", (event) => {
  const cancel = event.target.closest("[data-overbooking-cancel]");
  if (!cancel) {
    return;
  }
  event.preventDefault();
  cancel.closest(".overbooking").hidden = true;
  const start = document.getElementById("id_starts_at_0");
  start.scrollIntoView({ block: "center" });
  start.focus();
});
