// "Take their text into the form" on a refused save (pages/forms.py, conflict_html): puts the
// other person's saved text into the field, so the editor can merge from there.
document.addEventListener("click", (event) => {
  const button = event.target.closest("button.take-theirs");
  if (!button) return;
  const field = document.getElementById(button.dataset.target);
  if (!field) return;
  field.value = button.dataset.text;
  field.dispatchEvent(new Event("input", { bubbles: true })); // markdownx refreshes its preview
  field.focus();
});
