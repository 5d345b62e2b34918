// Turns a chart's SVG into a PNG download: the SVG is drawn on a canvas at twice its size,
// with the figure's title above it and its legend and source below, so a saved image still
// says what it shows and where the numbers come from.
// No library and no network: the SVG is self-contained (fonts fall back to the system's).
document.addEventListener("click", function (event) {
  var button = event.target.closest("[data-png]");
  if (!button) return;
  var figure = document.getElementById(button.dataset.png);
  var svg = figure && figure.querySelector("svg");
  if (!svg) return;
  var box = svg.viewBox.baseVal;
  var scale = 2;
  var title = figure.dataset.title || "";
  var sourceText = figure.dataset.source || "";
  var keys = Array.prototype.map.call(figure.querySelectorAll(".key"), function (key) {
    var swatch = key.querySelector(".swatch");
    return { label: key.textContent.trim(), color: swatch ? swatch.style.background : "#000" };
  });
  var top = title ? 28 : 0;
  var legend = keys.length ? 22 : 0;
  var foot = sourceText ? 20 : 0;
  var source = new XMLSerializer().serializeToString(svg);
  var image = new Image();
  image.onload = function () {
    var canvas = document.createElement("canvas");
    canvas.width = box.width * scale;
    canvas.height = (top + box.height + legend + foot) * scale;
    var context = canvas.getContext("2d");
    context.scale(scale, scale);
    context.fillStyle = "#ffffff";
    context.fillRect(0, 0, box.width, top + box.height + legend + foot);
    var room = box.width - 16;
    context.textBaseline = "middle";
    if (title) {
      context.fillStyle = "#1d2330";
      context.font = "bold 14px system-ui, sans-serif";
      context.fillText(title, 8, top / 2, room);
    }
    context.drawImage(image, 0, top, box.width, box.height);
    var x = 8;
    var y = top + box.height + legend / 2;
    context.font = "11px system-ui, sans-serif";
    keys.forEach(function (key) {
      context.fillStyle = key.color;
      context.fillRect(x, y - 5, 10, 10);
      context.fillStyle = "#1d2330";
      context.fillText(key.label, x + 14, y, room - x);
      x += 14 + context.measureText(key.label).width + 16;
    });
    if (sourceText) {
      context.fillStyle = "#5b6475";
      context.font = "10px system-ui, sans-serif";
      context.fillText(sourceText, 8, top + box.height + legend + foot / 2, room);
    }
    canvas.toBlob(function (blob) {
      var link = document.createElement("a");
      link.href = URL.createObjectURL(blob);
      link.download = button.dataset.filename || "grafica.png";
      document.body.appendChild(link);
      link.click();
      link.remove();
    }, "image/png");
  };
  image.src = "data:image/svg+xml;charset=utf-8," + encodeURIComponent(source);
});
