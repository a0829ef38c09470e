// Download a chart shown in the page, as SVG or as PNG (the roadmap's Gantt chart and the scenarios' charts): the inline SVG is
// serialised and, for PNG, drawn on a canvas at twice its size on a white ground. The labels are the page's (JA or
// EN) and are drawn with the fonts the SVG names (IPAGothic among them), so Japanese text survives in the PNG.
// Every button with class "chart-download" names its chart (data-svg), the file name (data-name) and the format.
(function () {
  "use strict";
  function save(name, href) {
    var link = document.createElement("a");
    link.download = name;
    link.href = href;
    document.body.appendChild(link);
    link.click();
    link.remove();
  }
  function download(button) {
    var svg = document.getElementById(button.getAttribute("data-svg"));
    if (!svg) return;
    var box = svg.viewBox.baseVal;
    var copy = svg.cloneNode(true);
    copy.setAttribute("width", box.width);
    copy.setAttribute("height", box.height);
    copy.removeAttribute("style");
    var text = new XMLSerializer().serializeToString(copy);
    var source = "data:image/svg+xml;charset=utf-8," + encodeURIComponent(text);
    var name = button.getAttribute("data-name");
    if (button.getAttribute("data-format") === "svg") {
      save(name + ".svg", source);
      return;
    }
    var scale = 2;
    var image = new Image();
    image.onload = function () {
      var canvas = document.createElement("canvas");
      canvas.width = box.width * scale;
      canvas.height = box.height * scale;
      var context = canvas.getContext("2d");
      context.fillStyle = "#fff";
      context.fillRect(0, 0, canvas.width, canvas.height);
      context.drawImage(image, 0, 0, canvas.width, canvas.height);
      save(name + ".png", canvas.toDataURL("image/png"));
    };
    image.src = source;
  }
  var buttons = document.querySelectorAll("button.chart-download");
  for (var i = 0; i < buttons.length; i++) {
    buttons[i].addEventListener("click", function (event) { download(event.currentTarget); });
  }
})();
