// The budget form's row editor: add and remove rows of candidate actions. Without scripts the form carries
// spare blank rows and a cleared row is ignored; with them, one blank row stays and the buttons appear.
(function () {
  "use strict";
  var table = document.getElementById("portfolio-rows");
  var add = document.getElementById("add-row");
  if (!table || !add) { return; }
  var body = table.tBodies[0];
  var max = parseInt(table.getAttribute("data-max-rows"), 10) || 150;
  var removeLabel = table.getAttribute("data-remove-label") || "Remove row %(row)s";

  function blank(row) {
    return Array.prototype.every.call(row.querySelectorAll("input"), function (input) { return !input.value.trim(); });
  }
  // Rows are numbered 1, 2, 3...: each input is labelled by its column and its row number.
  function renumber() {
    Array.prototype.forEach.call(body.rows, function (row, i) {
      var n = i + 1, header = row.cells[0];
      header.id = "portfolio-row-" + n;
      header.textContent = String(n);
      row.querySelectorAll("input").forEach(function (input) {
        var column = input.getAttribute("aria-labelledby").split(" ")[0];
        input.setAttribute("aria-labelledby", column + " portfolio-row-" + n);
      });
      var button = row.querySelector(".remove-row");
      button.setAttribute("aria-label", removeLabel.replace("%(row)s", String(n)));
    });
    add.disabled = body.rows.length >= max;
  }
  function attach(row) {
    var button = row.querySelector(".remove-row");
    button.hidden = false;
    button.addEventListener("click", function () {
      var next = row.nextElementSibling || row.previousElementSibling;
      if (body.rows.length > 1) {
        row.remove();
      } else {
        row.querySelectorAll("input").forEach(function (input) { input.value = ""; });
        var names = row.querySelector(".technology-names");
        if (names) { names.remove(); }
      }
      renumber();
      var focus = (next && next.isConnected ? next : body.rows[0]).querySelector("input");
      if (focus) { focus.focus(); }
    });
  }
  // Keep one spare blank row (the first); the others come back with "Add a row".
  var spares = Array.prototype.filter.call(body.rows, function (row) { return row.hasAttribute("data-spare") && blank(row); });
  var template = (spares[0] || body.rows[body.rows.length - 1]).cloneNode(true);
  spares.slice(1).forEach(function (row) { row.remove(); });
  Array.prototype.forEach.call(body.rows, attach);
  add.hidden = false;
  add.addEventListener("click", function () {
    if (body.rows.length >= max) { return; }
    var row = template.cloneNode(true);
    row.querySelectorAll("input").forEach(function (input) { input.value = ""; });
    var names = row.querySelector(".technology-names");
    if (names) { names.remove(); }
    body.appendChild(row);
    attach(row);
    renumber();
    row.querySelector("input").focus();
  });
  renumber();
}());
