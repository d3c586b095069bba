// The Print button of the after-care sheet, other guide pages and reading lists (issue 24).
// Progressive enhancement: the page says "use your browser's Print" in a .print-hint paragraph;
// where JavaScript runs, that paragraph becomes a button that opens the print dialog.
// Without JavaScript nothing is lost: the sentence stays. CSP: a file from this site, no inline code.
document.querySelectorAll(".print-hint[data-print-label]").forEach(function (hint) {
  var button = document.createElement("button");
  button.type = "button";
  button.className = "button print-button";
  button.textContent = hint.getAttribute("data-print-label");
  button.addEventListener("click", function () { window.print(); });
  hint.replaceChildren(button);
});
