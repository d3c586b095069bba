// The staff link builder (/staff/links/): filter as you type, and two copy buttons.
// Everything works without this file: the Filter button asks the server, the textareas can be
// copied by hand. Messages come from the page (data-*), so they are translated there.
(function () {
  "use strict";

  var search = document.getElementById("pick-search");
  if (search) {
    var rows = Array.prototype.slice.call(document.querySelectorAll(".check[data-title]"));
    var filter = function () {
      var words = search.value.toLowerCase().split(/\s+/).filter(Boolean);
      rows.forEach(function (row) {
        var ticked = row.querySelector("input").checked;
        row.hidden = !ticked && !words.every(function (word) { return row.dataset.title.indexOf(word) !== -1; });
      });
      document.querySelectorAll(".pick-group").forEach(function (group) {
        group.hidden = !group.querySelector(".check:not([hidden])");
      });
    };
    search.addEventListener("input", filter);
    // Enter would send the form to the server to filter; here it already is filtered.
    search.addEventListener("keydown", function (event) {
      if (event.key === "Enter") { event.preventDefault(); }
    });
    document.getElementById("filter-button").hidden = true;
    filter();
  }

  // The reading list keeps the order the boxes are ticked in (issue 24): a new tick goes last.
  var order = document.getElementById("pick-order");
  if (order) {
    var ticked = order.value.split(/\s+/).filter(Boolean);
    document.querySelectorAll('.link-builder input[name="item"]').forEach(function (box) {
      if (box.checked && ticked.indexOf(box.value) === -1) { ticked.push(box.value); }
      box.addEventListener("change", function () {
        ticked = ticked.filter(function (key) { return key !== box.value; });
        if (box.checked) { ticked.push(box.value); }
        order.value = ticked.join(" ");
      });
    });
    order.value = ticked.join(" ");
  }

  var buttons = document.querySelector(".copy-buttons");
  if (!buttons || !navigator.clipboard) { return; }
  var status = document.getElementById("copy-status");
  var text = document.getElementById("links-text").value;
  var html = document.getElementById("links-html").value;
  var report = function (ok) { status.textContent = ok ? status.dataset.copied : status.dataset.failed; };
  // Emptied when a copy starts, so a second copy is announced again (role="status") once done.
  var start = function () { status.textContent = ""; };

  buttons.hidden = false;
  document.getElementById("copy-text").addEventListener("click", function () {
    start();
    navigator.clipboard.writeText(text).then(function () { report(true); }, function () { report(false); });
  });
  document.getElementById("copy-html").addEventListener("click", function () {
    // Rich HTML and plain text together: Gmail and Outlook paste real links, a plain-text
    // field pastes the text.
    start();
    var item;
    try {
      item = new ClipboardItem({
        "text/html": new Blob([html], { type: "text/html" }),
        "text/plain": new Blob([text], { type: "text/plain" })
      });
    } catch (error) {
      report(false);
      return;
    }
    navigator.clipboard.write([item]).then(function () { report(true); }, function () { report(false); });
  });
}());
