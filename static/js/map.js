// The public map: draws the server's clustered tiles for the current view and filters, keeps the view, the filters
// and the page of results in the URL, and refreshes the result list (the keyboard and screen-reader alternative to
// the markers). In an embed (config.embed: templates/practices/map_embed.html) there is no form and no list: the
// filters come from the embed's address, and its "Open on CoNECT" link follows the view.
(function () {
  "use strict";
  var MIN_ZOOM = 2, MAX_ZOOM = 18, SETTLE_MS = 250, TILE = 256;
  var config = JSON.parse(document.getElementById("map-config").textContent);
  var embed = config.embed || null;
  var form = document.querySelector(".map-filters");
  var results = document.getElementById("results");
  var element = document.getElementById("practice-map");
  var params = new URLSearchParams(window.location.search);
  var page = Math.max(1, parseInt(params.get("page"), 10) || 1);
  // On a phone the filters fold away, so that the map comes first; they stay open when some are in use.
  var panel = document.querySelector(".filters-panel");
  var filtering = Array.from(params.keys()).some(function (k) { return ["bbox", "view", "page"].indexOf(k) < 0; });
  if (panel && window.matchMedia("(max-width: 56rem)").matches && !filtering) panel.open = false;

  var compact = new Intl.NumberFormat(config.language, { notation: "compact", maximumFractionDigits: 1 });
  var map = L.map(element, { minZoom: MIN_ZOOM, maxZoom: MAX_ZOOM, worldCopyJump: true });
  L.tileLayer(config.tiles.url, { attribution: config.tiles.attribution, maxZoom: 19 }).addTo(map);
  var layer = L.layerGroup().addTo(map);
  var spaceLayer = L.layerGroup().addTo(map);
  var showSpaces = document.getElementById("show-spaces");

  function clamp(v, lo, hi) { return Math.max(lo, Math.min(hi, v)); }
  function numbers(text, count) {
    var parts = (text || "").split(/[\/,]/);
    if (parts.length !== count) return null;
    var values = parts.map(function (p) { return p.trim() === "" ? NaN : Number(p); });
    return values.every(Number.isFinite) ? values : null;
  }

  // A shared link may have been cut short or edited by hand: a view or box that makes no sense is ignored (the
  // next one, or the whole of Europe, is shown instead), a zoom out of range is brought within it.
  function sharedView() {
    var v = numbers(params.get("view"), 3);
    if (!v || Math.abs(v[1]) > 90 || Math.abs(v[2]) > 180) return null;
    return { centre: [clamp(v[1], -85, 85), v[2]], zoom: Math.round(clamp(v[0], MIN_ZOOM, MAX_ZOOM)) };
  }
  function sharedBox() {
    var b = numbers(params.get("bbox"), 4);
    if (!b || b[0] < -180 || b[2] > 180 || b[1] < -90 || b[3] > 90 || b[0] >= b[2] || b[1] >= b[3]) return null;
    return L.latLngBounds([[b[1], b[0]], [b[3], b[2]]]);
  }
  var view = sharedView(), box = sharedBox();
  var extent = embed && embed.extent;
  if (view) map.setView(view.centre, view.zoom);
  else if (box) map.fitBounds(box);
  else if (extent) map.fitBounds([[extent[1], extent[0]], [extent[3], extent[2]]], { padding: [30, 30], maxZoom: 13 });
  else map.setView([50, 10], 4);

  function filterQuery() {
    var query = new URLSearchParams(embed ? embed.filters : new FormData(form));
    ["bbox", "view", "page"].forEach(function (key) { query.delete(key); });
    Array.from(query.keys()).forEach(function (key) { if (!query.get(key)) query.delete(key); });
    return query;
  }

  function viewBox() {
    var b = map.getBounds();
    return [clamp(b.getWest(), -180, 179.999), clamp(b.getSouth(), -89.999, 89.998),
            clamp(b.getEast(), -179.999, 180), clamp(b.getNorth(), -89.998, 90)]
      .map(function (v) { return v.toFixed(5); }).join(",");
  }

  function viewParam() {
    var centre = map.getCenter();
    return map.getZoom() + "/" + centre.lat.toFixed(4) + "/" + centre.lng.toFixed(4);
  }

  // The tiles on screen; x beyond the world's edge is the same tile drawn one world (360°) to the side.
  function tileRange() {
    var z = Math.round(map.getZoom());
    var bounds = map.getPixelBounds(), n = Math.pow(2, z);
    var scale = map.getZoomScale(z, map.getZoom());
    var min = bounds.min.multiplyBy(scale).divideBy(TILE).floor();
    var max = bounds.max.multiplyBy(scale).divideBy(TILE).floor();
    var tiles = [];
    for (var x = min.x; x <= max.x; x++) {
      for (var y = Math.max(min.y, 0); y <= Math.min(max.y, n - 1); y++) {
        var wrapped = ((x % n) + n) % n;
        tiles.push({ z: z, x: wrapped, y: y, shift: (x - wrapped) / n * 360 });
      }
    }
    return tiles;
  }

  // Tiles already loaded are kept for the page's life: the map's version is in their address, so they cannot be
  // stale, and moving back and forth asks the server only for the tiles not seen yet.
  var cache = new Map();
  function features(url) {
    if (!cache.has(url)) {
      if (cache.size > 1000) cache.clear();
      cache.set(url, fetch(url)
        .then(function (r) { return r.ok ? r.json() : { features: [] }; })
        .then(function (c) { return c.features; }, function () { cache.delete(url); return []; }));
    }
    return cache.get(url);
  }

  // Every point of the tiles arrived so far, as {lat, lng, count, ...properties}; `total` counts each tile once.
  function collect(loaded) {
    var points = [], counted = new Set(), total = 0;
    loaded.forEach(function (tile) {
      tile.features.forEach(function (f) {
        var c = f.geometry.coordinates;
        points.push(L.extend({}, f.properties, { lat: c[1], lng: c[0] + tile.shift }));
        if (!counted.has(tile.url)) total += f.properties.count;
      });
      counted.add(tile.url);
    });
    return { points: points, total: total };
  }

  // The tiles on screen, each drawn as it arrives: draw(points so far, complete) runs at most once a frame while
  // tiles come in, and once more, complete, when the last one is in (the promise then resolves). A slow tile never
  // holds back the others' markers.
  function load(template, query, draw) {
    var tiles = tileRange(), loaded = [], frame = null;
    function drawSoFar() { frame = null; draw(collect(loaded), false); }
    return Promise.all(tiles.map(function (t) {
      var url = template.replace("{z}", t.z).replace("{x}", t.x).replace("{y}", t.y) + "?" + query;
      return features(url).then(function (list) {
        loaded.push({ url: url, shift: t.shift, features: list });
        if (loaded.length < tiles.length && frame === null) frame = window.requestAnimationFrame(drawSoFar);
      });
    })).then(function () {
      if (frame !== null) window.cancelAnimationFrame(frame);
      draw(collect(loaded), true);
    });
  }

  // Clusters are made tile by tile, so two of them can sit a few pixels apart across a tile's edge (or a cell's):
  // merge the markers that would overlap, adding their counts, so that no number hides another.
  function merge(points, diameter) {
    var zoom = map.getZoom();
    var items = points.map(function (p) { return L.extend({ at: map.project([p.lat, p.lng], zoom) }, p); });
    items.sort(function (a, b) { return b.count - a.count; });
    for (var pass = 0; pass < 5; pass++) {
      var kept = [], merged = false;
      items.forEach(function (item) {
        var into = kept.find(function (k) {
          return k.at.distanceTo(item.at) < (diameter(k.count) + diameter(item.count)) / 2;
        });
        if (!into) { kept.push(item); return; }
        var total = into.count + item.count;
        into.at = into.at.multiplyBy(into.count / total).add(item.at.multiplyBy(item.count / total));
        into.count = total;
        into.slug = into.title = null;
        merged = true;
      });
      items = kept;
      if (!merged) break;
    }
    return items.map(function (item) {
      var latlng = map.unproject(item.at, zoom);
      return L.extend(item, { lat: latlng.lat, lng: latlng.lng });
    });
  }

  function clusterSize(count) { return count === 1 ? 18 : count < 10 ? 28 : count < 100 ? 34 : count < 1000 ? 40 : 46; }

  function marker(p) {
    var latlng = [p.lat, p.lng];
    if (p.count === 1) {
      var dot = L.circleMarker(latlng, { radius: 7, color: "#fff", weight: 2, fillColor: p.colour || "#0b6e4f", fillOpacity: 1 });
      var link = document.createElement("a");
      link.href = "/" + config.language + "/practices/" + p.slug + "/";
      link.textContent = p.title;
      if (embed) { link.target = "_blank"; link.rel = "noopener"; }
      return dot.bindPopup(link);
    }
    var size = clusterSize(p.count);
    var icon = L.divIcon({
      className: "cluster", iconSize: [size, size],
      html: '<span style="border-color:' + (p.colour || "#0b6e4f") + '">' + compact.format(p.count) + "</span>",
    });
    return L.marker(latlng, { icon: icon, keyboard: false }).on("click", function () {
      map.setView(latlng, Math.min(map.getZoom() + 2, MAX_ZOOM));
    });
  }

  function spaceMarker(p) {
    var latlng = [p.lat, p.lng];
    var square = L.marker(latlng, {
      keyboard: false,
      icon: L.divIcon({ className: "space-marker", iconSize: [16, 16], html: p.count > 1 ? compact.format(p.count) : "" }),
    });
    if (p.count === 1) {
      var link = document.createElement("a");
      link.href = "/" + config.language + "/spaces/" + p.slug + "/";
      link.textContent = p.title;
      square.bindPopup(link);
    } else {
      square.on("click", function () { map.setView(latlng, Math.min(map.getZoom() + 2, MAX_ZOOM)); });
    }
    return square;
  }

  var spaceGeneration = 0;
  function drawSpaces() {
    var mine = ++spaceGeneration;
    if (!config.layers.spaces || !showSpaces || !showSpaces.checked) { spaceLayer.clearLayers(); return; }
    var query = new URLSearchParams({ v: config.version });
    load(config.spaceTileUrl, query.toString(), function (loaded) {
      if (mine !== spaceGeneration) return;
      spaceLayer.clearLayers();
      merge(loaded.points, function () { return 20; }).forEach(function (p) { spaceLayer.addLayer(spaceMarker(p)); });
    });
  }

  // The markers of the view replace the previous view's when its first tiles arrive (not before: no blank map
  // between two views); the promise resolves when every tile of the view is drawn.
  var generation = 0;
  function drawTiles() {
    var mine = ++generation;
    var drawn = viewParam();
    var query = filterQuery();
    query.set("lang", config.language);
    query.set("v", config.version);
    function draw(loaded, complete) {
      if (mine !== generation) return; // a newer view has been asked for meanwhile
      layer.clearLayers();
      merge(loaded.points, clusterSize).forEach(function (p) { layer.addLayer(marker(p)); });
      // How many practices the markers stand for, and which view they are for once all its tiles are drawn (read
      // by the browser tests and the benchmark's first-marker timing: data-first-drawn).
      element.dataset.practices = loaded.total;
      if (loaded.points.length && !element.dataset.firstDrawn) element.dataset.firstDrawn = drawn;
      if (complete) element.dataset.drawn = drawn;
    }
    if (!config.layers.practices) { draw({ points: [], total: 0 }, true); return Promise.resolve(); }
    return load(config.tileUrl, query.toString(), draw);
  }

  // The code to embed this map on another site (templates/practices/_embed_snippet.html), kept to the filters and
  // the view; built as elements, so the browser escapes the attributes, and given to the textareas as text.
  var snippet = document.querySelector("[data-embed-base]");
  function updateSnippet() {
    if (!snippet) return;
    var query = filterQuery();
    query.set("view", viewParam());
    var frame = document.createElement("iframe");
    frame.setAttribute("src", snippet.dataset.embedBase + "?" + query.toString());
    frame.setAttribute("title", snippet.dataset.embedTitle);
    frame.setAttribute("width", "100%");
    frame.setAttribute("height", snippet.dataset.embedHeight);
    frame.setAttribute("style", "border:0");
    frame.setAttribute("loading", "lazy");
    document.getElementById("embed-map-code").value = frame.outerHTML;
    var holder = document.createElement("div");
    holder.setAttribute("data-conect-map", "");
    var values = {};
    query.forEach(function (value, key) { (values[key] = values[key] || []).push(value); });
    Object.keys(values).forEach(function (key) {
      holder.setAttribute("data-" + key.replace(/_/g, "-"), values[key].join(","));
    });
    holder.setAttribute("data-lang", snippet.dataset.embedLanguage);
    holder.setAttribute("data-title", snippet.dataset.embedTitle);
    var script = document.createElement("script");
    script.setAttribute("src", snippet.dataset.embedScript);
    script.setAttribute("async", "");
    document.getElementById("embed-map-script").value = holder.outerHTML + "\n" + script.outerHTML;
  }

  // In an embed, the link to the full map opens it on the same filters and view.
  function updateOpenLink() {
    var link = document.getElementById("embed-open");
    var query = filterQuery();
    query.set("view", viewParam());
    link.href = link.href.split("?")[0] + "?" + query.toString();
  }

  // The address follows the view at once; the list is asked for once `after` (the tiles) is done, so that the
  // markers do not wait behind it for the server's workers.
  var listGeneration = 0;
  function refreshList(after) {
    if (embed) { updateOpenLink(); return Promise.resolve(); }
    var mine = ++listGeneration;
    var query = filterQuery();
    updateSnippet();
    query.set("bbox", viewBox());
    query.set("view", viewParam());
    if (page > 1) query.set("page", page);
    window.history.replaceState(null, "", "?" + query.toString());
    return (after || Promise.resolve()).then(function () {
      if (mine !== listGeneration) return null; // a newer view has been asked for meanwhile
      return fetch(config.resultsUrl + "?" + query.toString())
        .then(function (r) { return r.text(); })
        .then(function (html) { if (mine === listGeneration) results.innerHTML = html; });
    });
  }

  function refresh() {
    var tiles = drawTiles();
    return refreshList(tiles.then(function () { drawSpaces(); }));
  }

  // A move of the map (or a filter) starts again from the first page of results; a page of results leaves the
  // map where it is. Moves are drawn once the map has settled, not at every step of a drag or a wheel.
  var settle;
  map.on("movestart", function () { clearTimeout(settle); });
  map.on("moveend", function () {
    clearTimeout(settle);
    settle = setTimeout(function () { page = 1; refresh(); }, SETTLE_MS);
  });
  if (showSpaces) showSpaces.addEventListener("change", drawSpaces);
  if (!embed) {
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      page = 1;
      refresh();
      results.focus();
    });
    form.addEventListener("change", function () { page = 1; refresh(); });
    results.addEventListener("click", function (event) {
      var link = event.target.closest(".pager a");
      if (!link || event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey || event.altKey) return;
      event.preventDefault();
      page = Math.max(1, parseInt(new URL(link.href).searchParams.get("page"), 10) || 1);
      refreshList().then(function () { results.focus(); });
    });
  }
  refresh();
})();
