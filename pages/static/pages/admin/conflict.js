// "Take their text into the form" on a refused save (pages/editing/forms.py, conflict_html): puts
// the other person's saved text into the field, so the editor can merge from there. The editor's
// own text is never lost: it shows in the box below the button ("Your text"), to copy from, and
// "Put my text back" returns it to the field.
function changed(field) {
  field.dispatchEvent(new Event("input", { bubbles: true })); // markdownx refreshes its preview
  field.focus();
}

document.addEventListener("click", (event) => {
  const take = event.target.closest("button.take-theirs");
  if (take) {
    const field = document.getElementById(take.dataset.target);
    const kept = document.getElementById(take.dataset.target + "-yours");
    if (!field || !kept) return;
    if (field.value !== take.dataset.text) kept.value = field.value; // the editor's text, as it is now
    kept.closest(".your-text").hidden = false;
    field.value = take.dataset.text;
    changed(field);
    return;
  }
  const back = event.target.closest("button.put-mine-back");
  if (back) {
    const field = document.getElementById(back.dataset.target);
    const kept = document.getElementById(back.dataset.target + "-yours");
    if (!field || !kept) return;
    field.value = kept.value;
    changed(field);
  }
});
