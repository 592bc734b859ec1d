// The map of the organisation list: every organisation that passes the filters and has a place (the table beside it
// holds the same organisations, for keyboards and screen readers). Works without tiles, on a plain background.
(function () {
  "use strict";
  var element = document.getElementById("organisations-map");
  if (!element) return;
  var tiles = JSON.parse(document.getElementById("map-tiles").textContent);
  var points = JSON.parse(document.getElementById("organisation-points").textContent);
  var map = L.map(element, { scrollWheelZoom: false }).setView([48.5, 12.0], 4);
  L.tileLayer(tiles.url, { attribution: tiles.attribution, maxZoom: 19 }).addTo(map);
  var bounds = L.latLngBounds([]);
  points.forEach(function (point) {
    var marker = L.circleMarker([point.lat, point.lng], {
      radius: 7, color: "#ffffff", weight: 2, fillColor: "#0b6e4f", fillOpacity: 1,
    }).addTo(map);
    var link = document.createElement("a");
    link.href = point.url;
    link.textContent = point.title;
    marker.bindPopup(link);
    bounds.extend([point.lat, point.lng]);
  });
  element.dataset.organisations = String(points.length);
  if (bounds.isValid()) map.fitBounds(bounds, { maxZoom: 12, padding: [16, 16] });
})();
