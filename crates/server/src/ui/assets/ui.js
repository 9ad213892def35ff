// Keyboard-first reviewing: every control with data-key is pressed by its
// key. R opens the reject reasons (numbers pick one, Escape closes them);
// B toggles the blur on the media.
document.addEventListener("keydown", (e) => {
  if (e.ctrlKey || e.metaKey || e.altKey) return;
  const picker = document.getElementById("reasons");
  const typing = e.target.matches("input, textarea, select");
  if (picker && !picker.hidden) {
    if (e.key === "Escape") {
      picker.hidden = true;
      e.preventDefault();
      return;
    }
    if (typing) return;
    const choice = picker.querySelector(`button[data-key="${e.key}"]`);
    if (choice) {
      e.preventDefault();
      choice.click();
    }
    return;
  }
  if (typing) return;
  const key = e.key.toLowerCase();
  if (key === "r" && picker) {
    e.preventDefault();
    picker.hidden = false;
    return;
  }
  if (key === "b") {
    document.querySelectorAll(".media").forEach((m) => m.classList.toggle("blurred"));
    return;
  }
  const control = document.querySelector(`[data-key="${key}"]:not(#reasons *)`);
  if (control) {
    e.preventDefault();
    control.click();
  }
});

document.getElementById("reject")?.addEventListener("click", () => {
  document.getElementById("reasons").hidden = false;
});
