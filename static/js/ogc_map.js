// The map of an OGC items page: the features of this page (the table beside it holds the same features, for
// keyboards and screen readers). Points as circles, territories as outlines; works without tiles.
(function () {
  "use strict";
  var element = document.getElementById("ogc-map");
  if (!element) return;
  var tiles = JSON.parse(document.getElementById("map-tiles").textContent);
  var data = JSON.parse(document.getElementById("ogc-features").textContent);
  var map = L.map(element, { scrollWheelZoom: false }).setView([48.5, 12.0], 4);
  L.tileLayer(tiles.url, { attribution: tiles.attribution, maxZoom: 19 }).addTo(map);
  var layer = L.geoJSON(data, {
    pointToLayer: function (feature, latlng) {
      return L.circleMarker(latlng, { radius: 7, color: "#ffffff", weight: 2, fillColor: "#0b6e4f", fillOpacity: 1 });
    },
    style: function () {
      return { color: "#0b6e4f", weight: 2, fillOpacity: 0.15 };
    },
    onEachFeature: function (feature, shape) {
      var link = document.createElement("a");
      link.href = feature.properties.href;
      link.textContent = feature.properties.label;
      shape.bindPopup(link);
    },
  }).addTo(map);
  element.dataset.features = String(data.features.length);
  var bounds = layer.getBounds();
  if (bounds.isValid()) map.fitBounds(bounds, { maxZoom: 12, padding: [16, 16] });
})();
