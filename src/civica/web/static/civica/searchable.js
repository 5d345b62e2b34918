// Long selects (select[data-searchable]) get a filter box: typed letters keep only the
// options whose label contains them, ignoring case and accents. The select still submits
// the chosen option's value, so the page works unchanged without this script.
(function () {
  "use strict";
  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }
  function enhance(select) {
    var all = Array.prototype.slice.call(select.options);
    var keys = all.map(function (o) { return fold(o.text); });
    var box = document.createElement("input");
    box.type = "search";
    box.className = "select-filter";
    box.placeholder = select.getAttribute("data-searchable");
    box.setAttribute("aria-label", select.getAttribute("data-searchable"));
    if (select.id) { box.setAttribute("aria-controls", select.id); }
    select.parentNode.insertBefore(box, select);
    box.addEventListener("input", function () {
      var words = fold(box.value).split(/\s+/).filter(Boolean);
      var keep = document.createDocumentFragment();
      var chosen = select.value;
      all.forEach(function (option, i) {
        var match = words.every(function (w) { return keys[i].indexOf(w) >= 0; });
        if (match || option.value === chosen) { keep.appendChild(option); }
      });
      select.textContent = "";
      select.appendChild(keep);
      // The first match is chosen so that typing then submitting picks what was typed.
      var first = Array.prototype.find.call(select.options, function (o) {
        var i = all.indexOf(o);
        return o.value && words.every(function (w) { return keys[i].indexOf(w) >= 0; });
      });
      if (words.length && first) { select.value = first.value; }
    });
  }
  function init() {
    document.querySelectorAll("select[data-searchable]").forEach(enhance);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
