// Long selects (select[data-searchable]) get a filter box: typed letters keep only the
// options whose label contains them, ignoring case and accents. The select still submits
// the chosen option's value, so the page works unchanged without this script. In a select
// of several choices (the target sectors) every chosen option stays, whatever is typed: an
// option out of the list would not be submitted.
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
        var kept = select.multiple ? option.selected : option.value === chosen;
        if (match || kept) { keep.appendChild(option); }
      });
      select.textContent = "";
      select.appendChild(keep);
      // The first match is chosen so that typing then submitting picks what was typed.
      var first = Array.prototype.find.call(select.options, function (o) {
        var i = all.indexOf(o);
        return o.value && words.every(function (w) { return keys[i].indexOf(w) >= 0; });
      });
      if (!select.multiple && words.length && first) { select.value = first.value; }
    });
  }
  // A textarea of names one per line (textarea[data-datalist]) gets an input offering the
  // datalist's names; a chosen name is added as a line. Without the script the textarea is
  // typed by hand and the server names the closest known names of a mistyped one.
  function offer(area) {
    var list = document.getElementById(area.getAttribute("data-datalist"));
    if (!list) { return; }
    var known = Array.prototype.map.call(list.options, function (o) { return o.value; });
    var box = document.createElement("input");
    box.setAttribute("list", list.id);
    box.className = "datalist-add";
    box.placeholder = area.getAttribute("data-add-label");
    box.setAttribute("aria-label", area.getAttribute("data-add-label"));
    area.parentNode.insertBefore(box, area.nextSibling);
    box.addEventListener("change", function () {
      if (known.indexOf(box.value) < 0) { return; }
      var lines = area.value.split("\n").filter(function (l) { return l.trim(); });
      if (lines.indexOf(box.value) < 0) { lines.push(box.value); }
      area.value = lines.join("\n");
      box.value = "";
    });
  }
  function init() {
    document.querySelectorAll("select[data-searchable]").forEach(enhance);
    document.querySelectorAll("textarea[data-datalist]").forEach(offer);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
