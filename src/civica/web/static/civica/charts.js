// Turns a chart's SVG into a PNG download: the SVG is drawn on a canvas at twice its size.
// No library and no network: the SVG is self-contained (fonts fall back to the system's).
document.addEventListener("click", function (event) {
  var button = event.target.closest("[data-png]");
  if (!button) return;
  var svg = document.querySelector("#" + button.dataset.png + " svg");
  if (!svg) return;
  var box = svg.viewBox.baseVal;
  var scale = 2;
  var source = new XMLSerializer().serializeToString(svg);
  var image = new Image();
  image.onload = function () {
    var canvas = document.createElement("canvas");
    canvas.width = box.width * scale;
    canvas.height = box.height * scale;
    var context = canvas.getContext("2d");
    context.fillStyle = "#ffffff";
    context.fillRect(0, 0, canvas.width, canvas.height);
    context.drawImage(image, 0, 0, canvas.width, canvas.height);
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
