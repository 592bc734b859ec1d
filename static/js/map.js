// The public map: draws the server's clustered tiles for the current view and filters, keeps the view and the
// filters in the URL, and refreshes the result list (the keyboard and screen-reader alternative to the markers).
(function () {
  "use strict";
  var config = JSON.parse(document.getElementById("map-config").textContent);
  var form = document.querySelector(".map-filters");
  var results = document.getElementById("results");
  var params = new URLSearchParams(window.location.search);
  // On a phone the filters fold away, so that the map comes first; they stay open when some are in use.
  var panel = document.querySelector(".filters-panel");
  var filtering = Array.from(params.keys()).some(function (k) { return k !== "bbox" && k !== "page"; });
  if (panel && window.matchMedia("(max-width: 56rem)").matches && !filtering) panel.open = false;

  var compact = new Intl.NumberFormat(config.language, { notation: "compact", maximumFractionDigits: 1 });
  var map = L.map("practice-map", { minZoom: 2, maxZoom: 18, worldCopyJump: true });
  L.tileLayer(config.tiles.url, { attribution: config.tiles.attribution, maxZoom: 19 }).addTo(map);
  var layer = L.layerGroup().addTo(map);
  var spaceLayer = L.layerGroup().addTo(map);
  var showSpaces = document.getElementById("show-spaces");
  // The view itself (zoom/lat/lng) travels in the URL, so a shared link opens exactly what was on screen.
  var view = (params.get("view") || "").split("/").map(Number);
  var bbox = params.get("bbox");
  if (view.length === 3 && view.every(function (v) { return !isNaN(v); })) {
    map.setView([view[1], view[2]], view[0]);
  } else if (bbox) {
    var b = bbox.split(",").map(Number);
    map.fitBounds([[b[1], b[0]], [b[3], b[2]]]);
  } else {
    map.setView([50, 10], 4);
  }

  function filterQuery() {
    var query = new URLSearchParams(new FormData(form));
    query.delete("bbox");
    query.delete("view");
    Array.from(query.keys()).forEach(function (key) { if (!query.get(key)) query.delete(key); });
    return query;
  }

  function viewBox() {
    var b = map.getBounds();
    function clamp(v, lo, hi) { return Math.max(lo, Math.min(hi, v)); }
    return [clamp(b.getWest(), -180, 179.999), clamp(b.getSouth(), -89.999, 89.998),
            clamp(b.getEast(), -179.999, 180), clamp(b.getNorth(), -89.998, 90)]
      .map(function (v) { return v.toFixed(5); }).join(",");
  }

  function tileRange() {
    var z = Math.round(map.getZoom());
    var bounds = map.getPixelBounds();
    var size = 256, n = Math.pow(2, z);
    var scale = map.getZoomScale(z, map.getZoom());
    var min = bounds.min.multiplyBy(scale).divideBy(size).floor();
    var max = bounds.max.multiplyBy(scale).divideBy(size).floor();
    var tiles = [];
    for (var x = min.x; x <= max.x; x++) {
      for (var y = Math.max(min.y, 0); y <= Math.min(max.y, n - 1); y++) {
        tiles.push({ z: z, x: ((x % n) + n) % n, y: y });
      }
    }
    return tiles;
  }

  function marker(feature) {
    var p = feature.properties;
    var latlng = [feature.geometry.coordinates[1], feature.geometry.coordinates[0]];
    if (p.count === 1) {
      var dot = L.circleMarker(latlng, { radius: 7, color: "#fff", weight: 2, fillColor: p.colour || "#0b6e4f", fillOpacity: 1 });
      var link = document.createElement("a");
      link.href = "/" + config.language + "/practices/" + p.slug + "/";
      link.textContent = p.title;
      return dot.bindPopup(link);
    }
    var size = p.count < 10 ? 28 : p.count < 100 ? 34 : p.count < 1000 ? 40 : 46;
    var icon = L.divIcon({
      className: "cluster", iconSize: [size, size],
      html: '<span style="border-color:' + (p.colour || "#0b6e4f") + '">' + compact.format(p.count) + "</span>",
    });
    return L.marker(latlng, { icon: icon, keyboard: false }).on("click", function () {
      map.setView(latlng, Math.min(map.getZoom() + 2, 18));
    });
  }

  function spaceMarker(feature) {
    var p = feature.properties;
    var latlng = [feature.geometry.coordinates[1], feature.geometry.coordinates[0]];
    var square = L.marker(latlng, {
      keyboard: false,
      icon: L.divIcon({ className: "space-marker", iconSize: [16, 16], html: p.count > 1 ? String(p.count) : "" }),
    });
    if (p.count === 1) {
      var link = document.createElement("a");
      link.href = "/" + config.language + "/spaces/" + p.slug + "/";
      link.textContent = p.title;
      square.bindPopup(link);
    }
    return square;
  }

  function drawSpaces() {
    spaceLayer.clearLayers();
    if (!showSpaces || !showSpaces.checked) return;
    var urls = tileRange().map(function (t) {
      return config.spaceTileUrl.replace("{z}", t.z).replace("{x}", t.x).replace("{y}", t.y);
    });
    Promise.all(urls.map(function (url) {
      return fetch(url).then(function (r) { return r.ok ? r.json() : { features: [] }; });
    })).then(function (collections) {
      collections.forEach(function (c) { c.features.forEach(function (f) { spaceLayer.addLayer(spaceMarker(f)); }); });
    });
  }

  var generation = 0;
  function drawTiles() {
    drawSpaces();
    var mine = ++generation;
    var query = filterQuery();
    query.set("lang", config.language);
    var urls = tileRange().map(function (t) {
      return config.tileUrl.replace("{z}", t.z).replace("{x}", t.x).replace("{y}", t.y) + "?" + query.toString();
    });
    Promise.all(urls.map(function (url) {
      return fetch(url).then(function (r) { return r.ok ? r.json() : { features: [] }; });
    })).then(function (collections) {
      if (mine !== generation) return; // a newer view has been asked for meanwhile
      layer.clearLayers();
      var shown = 0;
      collections.forEach(function (c) {
        c.features.forEach(function (f) { layer.addLayer(marker(f)); shown += f.properties.count; });
      });
      // How many practices the markers stand for: read by the browser tests.
      document.getElementById("practice-map").dataset.practices = shown;
    });
  }

  function refreshList() {
    var query = filterQuery();
    query.set("bbox", viewBox());
    var centre = map.getCenter();
    var shared = new URLSearchParams(query);
    shared.set("view", map.getZoom() + "/" + centre.lat.toFixed(4) + "/" + centre.lng.toFixed(4));
    window.history.replaceState(null, "", "?" + shared.toString());
    fetch(config.resultsUrl + "?" + query.toString()).then(function (r) { return r.text(); }).then(function (html) {
      results.innerHTML = html;
    });
  }

  function refresh() { drawTiles(); refreshList(); }
  map.on("moveend", refresh);
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    refresh();
    results.focus();
  });
  form.addEventListener("change", function () { drawTiles(); refreshList(); });
  if (showSpaces) showSpaces.addEventListener("change", drawSpaces);
  refresh();
})();
