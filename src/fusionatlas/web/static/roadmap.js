// Roadmap: download the Gantt chart shown in the page as PNG (the SVG is drawn on a canvas at twice its size).
(function () {
  "use strict";
  var button = document.getElementById("png-download");
  if (!button) return;
  button.addEventListener("click", function () {
    var svg = document.getElementById(button.getAttribute("data-svg"));
    if (!svg) return;
    var box = svg.viewBox.baseVal;
    var scale = 2;
    var copy = svg.cloneNode(true);
    copy.setAttribute("width", box.width);
    copy.setAttribute("height", box.height);
    var text = new XMLSerializer().serializeToString(copy);
    var image = new Image();
    image.onload = function () {
      var canvas = document.createElement("canvas");
      canvas.width = box.width * scale;
      canvas.height = box.height * scale;
      var context = canvas.getContext("2d");
      context.fillStyle = "#fff";
      context.fillRect(0, 0, canvas.width, canvas.height);
      context.drawImage(image, 0, 0, canvas.width, canvas.height);
      var link = document.createElement("a");
      link.download = button.getAttribute("data-name") + ".png";
      link.href = canvas.toDataURL("image/png");
      document.body.appendChild(link);
      link.click();
      link.remove();
    };
    image.src = "data:image/svg+xml;charset=utf-8," + encodeURIComponent(text);
  });
})();
