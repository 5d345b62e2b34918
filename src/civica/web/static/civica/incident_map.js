// The incident map: sectors coloured by incidents per km², Gi* hot and cold cells, and the
// incidents themselves from zoom 15. Leaflet comes from the app's static files; basemap tiles
// only when CIVICA_TILE_URL is set, so the map works offline on a plain background.
(function () {
  var config = JSON.parse(document.getElementById("incident-map-config").textContent);
  var map = L.map("incident-map", { preferCanvas: true });
  if (config.tiles) {
    L.tileLayer(config.tiles, { attribution: config.attribution, maxZoom: 19 }).addTo(map);
  }
  var query = config.query ? "?" + config.query : "?";
  var palette = ["#fee5d9", "#fcae91", "#fb6a4a", "#de2d26", "#a50f15"];

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
    if (data.features) return false;
    var note = L.control({ position: "bottomleft" });
    note.onAdd = function () {
      var box = L.DomUtil.create("div", "map-legend");
      box.textContent = data.error || "";
      return box;
    };
    note.addTo(map);
    return true;
  }
  fetch(config.sectors + query).then(function (r) { return r.json(); }).then(function (data) {
    if (unanswered(data)) { map.setView([23.6, -102.5], 5); return; }
    var edges = breaks(data.features.map(function (f) { return f.properties.per_km2; }));
    var layer = L.geoJSON(data, {
      style: function (f) {
        return { color: "#4d6878", weight: 1, fillOpacity: 0.6, fillColor: colour(f.properties.per_km2, edges) };
      },
      onEachFeature: function (f, l) {
        l.bindTooltip(f.properties.name + ": " + f.properties.count + " (" + Number(f.properties.per_km2).toFixed(1) + "/km²)");
      }
    }).addTo(map);
    overlays[config.labels.sectors] = layer;
    if (data.features.length) map.fitBounds(layer.getBounds());
    else map.setView([23.6, -102.5], 5);
    loadHotspots();
  });

  function loadHotspots() {
    fetch(config.hotspots + query).then(function (r) { return r.json(); }).then(function (data) {
      if (unanswered(data)) return;
      var layer = L.geoJSON(data, {
        filter: function (f) { return f.properties.significant; },
        style: function (f) {
          var hot = f.properties["class"] > 0;
          return { color: hot ? "#a50f15" : "#08519c", weight: 0.5, fillOpacity: 0.55, fillColor: hot ? "#de2d26" : "#3182bd" };
        },
        onEachFeature: function (f, l) {
          l.bindTooltip((f.properties["class"] > 0 ? config.labels.hot : config.labels.cold) + " · z " + Number(f.properties.z).toFixed(2) + " · " + f.properties.count);
        }
      }).addTo(map);
      overlays[config.labels.hotspots] = layer;
      L.control.layers(null, overlays, { collapsed: false }).addTo(map);
    });
  }

  var points = L.layerGroup().addTo(map);
  function loadPoints() {
    points.clearLayers();
    if (map.getZoom() < config.pointZoom) return;
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
