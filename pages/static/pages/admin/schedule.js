// The line above Save says what Save will do (pages/signoff/admin.py, render_change_form). With a
// time typed in "Goes live at", Save keeps the change until then: show the line that says so
// while the box has a time, and the other line when it is emptied. A line the server wrote for a
// time already in the form (after a refused save) has no data-without-time and stays as it is.
document.addEventListener("DOMContentLoaded", () => {
  const box = document.querySelector('input[name="go_live_at"]');
  const now = document.querySelector(".save-does[data-without-time]");
  const later = document.querySelector(".save-at-time");
  if (!box || !now || !later) return;
  const show = () => {
    const hasTime = box.value !== "";
    now.hidden = hasTime;
    later.hidden = !hasTime;
  };
  box.addEventListener("input", show);
  box.addEventListener("change", show);
  show();
});
