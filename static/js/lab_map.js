// The small map of a Lab's page: its territory and its published practices, drawn from the map's tiles filtered to
// the Lab (clusters counted by the server, so a Lab of 20,000 practices costs the page what a Lab of 20 does). The
// list below the map holds the same practices, for keyboards and screen readers. Works without background tiles.
(function () {
  "use strict";
  var element = document.getElementById("lab-map");
  if (!element) return;
  var TILE = 256, SETTLE_MS = 250, MAX_ZOOM = 18;
  var tiles = JSON.parse(document.getElementById("map-tiles").textContent);
  var config = JSON.parse(document.getElementById("lab-practices").textContent); // null: no practice on the map
  var territoryData = document.getElementById("lab-territory");
  var map = L.map(element, { scrollWheelZoom: false, maxZoom: MAX_ZOOM }).setView([48.5, 12.0], 4);
  L.tileLayer(tiles.url, { attribution: tiles.attribution, maxZoom: 19 }).addTo(map);
  var layer = L.layerGroup().addTo(map);
  var bounds = L.latLngBounds([]);
  if (territoryData) {
    var territory = L.geoJSON(JSON.parse(territoryData.textContent), {
      style: { color: "#0b6e4f", weight: 2, fillOpacity: 0.05 },
      interactive: false,
    }).addTo(map);
    bounds.extend(territory.getBounds());
  }
  if (config) {
    var e = config.extent;
    bounds.extend([[e[1], e[0]], [e[3], e[2]]]);
  }
  element.dataset.practices = "0";
  if (bounds.isValid()) map.fitBounds(bounds, { maxZoom: 13, padding: [16, 16] });
  if (!config) return;

  var compact = new Intl.NumberFormat(config.language, { notation: "compact", maximumFractionDigits: 1 });
  var query = config.filters + "&lang=" + encodeURIComponent(config.language) + "&v=" + config.version;

  // The tiles on screen, x beyond the world's edge being the same tile one world (360°) to the side.
  function tileRange() {
    var z = Math.round(map.getZoom()), n = Math.pow(2, z);
    var pixels = map.getPixelBounds(), scale = map.getZoomScale(z, map.getZoom());
    var min = pixels.min.multiplyBy(scale).divideBy(TILE).floor();
    var max = pixels.max.multiplyBy(scale).divideBy(TILE).floor();
    var found = [];
    for (var x = min.x; x <= max.x; x++) {
      for (var y = Math.max(min.y, 0); y <= Math.min(max.y, n - 1); y++) {
        var wrapped = ((x % n) + n) % n;
        found.push({ url: config.tileUrl.replace("{z}", z).replace("{x}", wrapped).replace("{y}", y) + "?" + query,
                     shift: (x - wrapped) / n * 360 });
      }
    }
    return found;
  }

  var cache = new Map();
  function features(url) {
    if (!cache.has(url)) {
      cache.set(url, fetch(url)
        .then(function (r) { return r.ok ? r.json() : { features: [] }; })
        .then(function (c) { return c.features; }, function () { cache.delete(url); return []; }));
    }
    return cache.get(url);
  }

  function marker(p, latlng) {
    if (p.count === 1) {
      var dot = L.circleMarker(latlng, { radius: 7, color: "#ffffff", weight: 2, fillColor: p.colour || "#0b6e4f", fillOpacity: 1 });
      var link = document.createElement("a");
      link.href = config.practiceUrl.replace("SLUG", p.slug);
      link.textContent = p.title;
      return dot.bindPopup(link);
    }
    var icon = L.divIcon({
      className: "cluster", iconSize: [size(p.count), size(p.count)],
      html: '<span style="border-color:' + (p.colour || "#0b6e4f") + '">' + compact.format(p.count) + "</span>",
    });
    return L.marker(latlng, { icon: icon, keyboard: false }).on("click", function () {
      map.setView(latlng, Math.min(map.getZoom() + 2, MAX_ZOOM));
    });
  }

  // Clusters are made tile by tile, so two can sit a few pixels apart across a tile's (or a cell's) edge: the markers
  // that would overlap are drawn as one, with the sum of their counts.
  function merge(points) {
    var zoom = map.getZoom(), kept = [];
    points.slice().sort(function (a, b) { return b.count - a.count; }).forEach(function (p) {
      var at = map.project(p.latlng, zoom);
      var into = kept.find(function (k) { return k.at.distanceTo(at) < (size(k.count) + size(p.count)) / 2; });
      if (!into) { kept.push(L.extend({ at: at }, p)); return; }
      var total = into.count + p.count;
      into.at = into.at.multiplyBy(into.count / total).add(at.multiplyBy(p.count / total));
      into.count = total;
      into.latlng = map.unproject(into.at, zoom);
    });
    return kept;
  }
  function size(count) { return count === 1 ? 18 : count < 10 ? 28 : count < 100 ? 34 : count < 1000 ? 40 : 46; }

  // Each tile is drawn as it arrives; the markers of the previous view go when the first tile of the new one is in.
  var generation = 0;
  function draw() {
    var mine = ++generation, points = [], total = 0;
    tileRange().forEach(function (tile) {
      features(tile.url).then(function (list) {
        if (mine !== generation) return; // a newer view has been asked for meanwhile
        list.forEach(function (f) {
          var c = f.geometry.coordinates;
          points.push(L.extend({}, f.properties, { latlng: L.latLng(c[1], c[0] + tile.shift) }));
          total += f.properties.count;
        });
        layer.clearLayers();
        merge(points).forEach(function (p) { layer.addLayer(marker(p, p.latlng)); });
        element.dataset.practices = String(total);
      });
    });
  }
  var settle;
  map.on("moveend", function () { clearTimeout(settle); settle = setTimeout(draw, SETTLE_MS); });
  draw();
})();
