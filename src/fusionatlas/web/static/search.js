// Suggestions as you type for every search box with data-suggest: organizations and technologies by name,
// kana reading or romaji, from /api/suggest. Without scripts the box is a plain search form.
(function () {
  "use strict";
  function attach(input) {
    var list = document.getElementById(input.getAttribute("aria-controls"));
    if (!list) { return; }
    var timer = null, active = -1, last = "";
    function close() { list.hidden = true; list.innerHTML = ""; active = -1; input.setAttribute("aria-expanded", "false"); }
    function mark(index) {
      var items = list.querySelectorAll("[role=option]");
      if (!items.length) { return; }
      active = (index + items.length) % items.length;
      items.forEach(function (item, i) { item.setAttribute("aria-selected", i === active ? "true" : "false"); });
      input.setAttribute("aria-activedescendant", items[active].id);
    }
    function show(suggestions) {
      list.innerHTML = "";
      active = -1;
      suggestions.forEach(function (s, i) {
        var item = document.createElement("li");
        item.setAttribute("role", "option");
        item.id = "suggestion-" + i;
        var link = document.createElement("a");
        link.href = s.url || ("/search?q=" + encodeURIComponent(s.name));
        link.textContent = s.name;
        link.tabIndex = -1;
        item.appendChild(link);
        if (s.reading && s.reading !== s.name) {
          var reading = document.createElement("span");
          reading.className = "muted";
          reading.textContent = " " + s.reading;
          item.appendChild(reading);
        }
        list.appendChild(item);
      });
      list.hidden = suggestions.length === 0;
      input.setAttribute("aria-expanded", suggestions.length ? "true" : "false");
    }
    function ask() {
      var text = input.value.trim();
      if (text === last) { return; }
      last = text;
      if (!text) { close(); return; }
      fetch(input.dataset.suggest + "?" + new URLSearchParams({ q: text }), { headers: { Accept: "application/json" } })
        .then(function (reply) { return reply.ok ? reply.json() : { suggestions: [] }; })
        .then(function (body) { if (input.value.trim() === text) { show(body.suggestions); } })
        .catch(close);
    }
    input.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(ask, 120); });
    input.addEventListener("keydown", function (event) {
      if (list.hidden) { return; }
      if (event.key === "ArrowDown") { event.preventDefault(); mark(active + 1); }
      else if (event.key === "ArrowUp") { event.preventDefault(); mark(active - 1); }
      else if (event.key === "Escape") { close(); }
      else if (event.key === "Enter" && active >= 0) {
        event.preventDefault();
        window.location.href = list.querySelectorAll("[role=option] a")[active].href;
      }
    });
    input.addEventListener("blur", function () { setTimeout(close, 200); });
  }
  document.querySelectorAll("input[data-suggest]").forEach(attach);
})();
