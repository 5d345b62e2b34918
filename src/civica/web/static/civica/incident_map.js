// The incident map: sectors coloured by incidents per km², Gi* hot and cold cells, and the
// incidents themselves from zoom 15. Leaflet comes from the app's static files; basemap tiles
// only when CIVICA_TILE_URL is set, so the map works offline on a plain background.
// Other maps of sectors (calls for service per sector) reuse it with only ``sectors`` in
// their config: hot spots, points and the basemap are drawn when their URLs are given.
// A frozen snapshot (a problem's attached hot-spot map) gives its cells inline
// (config.hotspotsData) and no sectors or points URL: the map draws what was frozen, never
// the data as they are now.
(function () {
  var config = JSON.parse(document.getElementById("incident-map-config").textContent);
  var map = L.map("incident-map", { preferCanvas: true, zoomControl: false });
  // Leaflet's own controls speak English: the zoom buttons get the page's words, and the
  // attribution names Leaflet without its English tooltip.
  L.control.zoom({
    zoomInTitle: config.labels.zoomIn,
    zoomOutTitle: config.labels.zoomOut
  }).addTo(map);
  map.attributionControl.setPrefix('<a href="https://leafletjs.com">Leaflet</a>');
  var query = config.query ? "?" + config.query : "?";
  // Sectors in purples, hot spots in red and cold spots in blue, so a hot cell never reads
  // as a busy sector; the legend below names each colour.
  var palette = ["#f2f0f7", "#cbc9e2", "#9e9ac8", "#756bb1", "#54278f"];
  var HOT = { line: "#99000d", fill: "#e31a1c" };
  var COLD = { line: "#08306b", fill: "#2171b5" };
  var BOUNDARY = "#5b6472";
  if (config.tiles) {
    L.tileLayer(config.tiles, { attribution: config.attribution, maxZoom: 19 }).addTo(map);
  } else if (config.basemap) {
    // No tile server: the shipped municipal boundaries are the basemap, under every layer.
    map.createPane("basemap").style.zIndex = 350;
    fetch(config.basemap).then(function (r) { return r.json(); }).then(function (data) {
      if (!data.features) return;
      var base = L.geoJSON(data, {
        pane: "basemap",
        interactive: false,
        style: { color: BOUNDARY, weight: 1.5, fillColor: "#fbfaf5", fillOpacity: 1 }
      }).addTo(map);
      if (!map._loaded && data.features.length) map.fitBounds(base.getBounds());
    });
  }

  var hasHotspots = Boolean(config.hotspots || config.hotspotsData);
  function swatch(fill, line) {
    return '<i style="background:' + fill + ";border:1px solid " + line + '"></i>';
  }
  var legend = L.control({ position: "bottomright" });
  legend.onAdd = function () {
    var box = L.DomUtil.create("div", "map-legend incident-legend");
    box.setAttribute("role", "group");
    box.setAttribute("aria-label", config.labels.legend);
    var ramp = palette.map(function (c) { return swatch(c, "#4d6878"); }).join("");
    box.innerHTML =
      "<strong>" + config.labels.legend + "</strong>" +
      (config.sectors ?
        "<div>" + config.labels.sectors + "</div>" +
        '<div class="ramp">' + ramp + "</div>" +
        '<div class="ramp-ends"><span>' + config.labels.fewer + "</span><span>" + config.labels.more + "</span></div>" : "") +
      (hasHotspots ? "<div>" + swatch(HOT.fill, HOT.line) + config.labels.hot + "</div>" +
        "<div>" + swatch(COLD.fill, COLD.line) + config.labels.cold + "</div>" : "") +
      (config.tiles || !config.basemap ? "" : "<div>" + swatch("#fbfaf5", BOUNDARY) + config.labels.basemap + "</div>");
    L.DomEvent.disableClickPropagation(box);
    return box;
  };
  legend.addTo(map);

  function breaks(values) {
    var sorted = values.filter(function (v) { return v !== null; }).sort(function (a, b) { return a - b; });
    return [0.2, 0.4, 0.6, 0.8].map(function (q) { return sorted[Math.floor(q * (sorted.length - 1))]; });
  }

  function colour(value, edges) {
    var i = 0;
    while (i < edges.length && value > edges[i]) i++;
    return palette[i];
  }

  var overlays = {};
  function unanswered(data) {
    // A selection the server cannot answer (nothing in scope, too many cells) comes back
    // as {"error": "..."}: say it on the map instead of failing silently.
    if (data.features || data.type === "CellGrid") return false;
    var note = L.control({ position: "bottomleft" });
    note.onAdd = function () {
      var box = L.DomUtil.create("div", "map-legend");
      box.textContent = data.error || "";
      return box;
    };
    note.addTo(map);
    return true;
  }
  if (config.sectors) {
    fetch(config.sectors + query).then(function (r) { return r.json(); }).then(showSectors);
  } else {
    loadHotspots();
  }
  function showSectors(data) {
    if (unanswered(data)) { map.setView([23.6, -102.5], 5); return; }
    var edges = breaks(data.features.map(function (f) { return f.properties.per_km2; }));
    var layer = L.geoJSON(data, {
      style: function (f) {
        return { color: "#4d6878", weight: 1, fillOpacity: 0.65, fillColor: colour(f.properties.per_km2, edges) };
      },
      onEachFeature: function (f, l) {
        l.bindTooltip(f.properties.name + ": " + f.properties.count + " (" + Number(f.properties.per_km2).toFixed(1) + "/km²)");
      }
    }).addTo(map);
    overlays[config.labels.sectors] = layer;
    if (data.features.length) map.fitBounds(layer.getBounds());
    else map.setView([23.6, -102.5], 5);
    if (hasHotspots) loadHotspots();
  }

  function cellStyle(klass) {
    var c = klass > 0 ? HOT : COLD;
    return { color: c.line, weight: 0.8, fillOpacity: 0.75, fillColor: c.fill };
  }
  function cellText(klass, z, count) {
    return (klass > 0 ? config.labels.hot : config.labels.cold) + " · z " + Number(z).toFixed(2) + " · " + count;
  }
  // The live layer comes as a grid ("CellGrid"): the centres of the significant cells
  // (integers of 1/scale degree, each after the first as a difference from the one before),
  // half a cell in degrees, and each cell's class, z and count. Every cell is the same
  // square, so the script draws it from its centre instead of receiving five corners.
  function gridLayer(data) {
    var group = L.featureGroup();
    var lon = 0, lat = 0, hx = data.half[0], hy = data.half[1];
    for (var i = 0; i < data.lon.length; i++) {
      lon += data.lon[i];
      lat += data.lat[i];
      var x = lon / data.scale, y = lat / data.scale;
      var style = cellStyle(data["class"][i]);
      style.cell = i;
      L.rectangle([[y - hy, x - hx], [y + hy, x + hx]], style).addTo(group);
    }
    group.bindTooltip(function (l) {
      var i = l.options.cell;
      return cellText(data["class"][i], data.z[i], data.count[i]);
    });
    group.cellCount = data.lon.length;
    return group;
  }
  // A frozen snapshot keeps its cells as GeoJSON polygons.
  function featureLayer(data) {
    var layer = L.geoJSON(data, {
      filter: function (f) { return f.properties.significant; },
      style: function (f) { return cellStyle(f.properties["class"]); },
      onEachFeature: function (f, l) {
        l.bindTooltip(cellText(f.properties["class"], f.properties.z, f.properties.count));
      }
    });
    layer.cellCount = data.features.length;
    return layer;
  }

  function loadHotspots() {
    var cells = config.hotspotsData ? Promise.resolve(config.hotspotsData) :
      fetch(config.hotspots + query).then(function (r) { return r.json(); });
    cells.then(function (data) {
      if (unanswered(data)) return;
      var layer = (data.type === "CellGrid" ? gridLayer(data) : featureLayer(data)).addTo(map);
      overlays[config.labels.hotspots] = layer;
      if (!config.sectors) {
        if (layer.cellCount) map.fitBounds(layer.getBounds());
        else map.setView([23.6, -102.5], 5);
      }
      // On a phone the open layer list would cover the map: it opens from its button there.
      L.control.layers(null, overlays, { collapsed: window.innerWidth < 640 }).addTo(map);
    });
  }

  var points = L.layerGroup().addTo(map);
  function loadPoints() {
    points.clearLayers();
    if (!config.points || map.getZoom() < config.pointZoom) return;
    var b = map.getBounds();
    var bbox = [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()].join(",");
    fetch(config.points + query + "&bbox=" + bbox).then(function (r) { return r.json(); }).then(function (data) {
      L.geoJSON(data, {
        pointToLayer: function (f, latlng) { return L.circleMarker(latlng, { radius: 3, color: "#1d2433", weight: 1, fillOpacity: 0.8 }); },
        onEachFeature: function (f, l) { l.bindTooltip(f.properties.crime + " · " + f.properties.date); }
      }).addTo(points);
    });
  }
  map.on("moveend", loadPoints);
})();
