// Technology map: open or close every branch of the tree list at once; redraw on a country choice.
(function () {
  "use strict";
  function setAll(open) {
    document.querySelectorAll("#tech-tree details").forEach(function (node) {
      node.open = open;
    });
  }
  var expand = document.getElementById("expand-all");
  var collapse = document.getElementById("collapse-all");
  if (expand) expand.addEventListener("click", function () { setAll(true); });
  if (collapse) collapse.addEventListener("click", function () { setAll(false); });
  // Choosing a country redraws the map at once; the button stays for visitors without JavaScript.
  var country = document.getElementById("country-select");
  if (country) country.addEventListener("change", function () { country.form.submit(); });
})();
