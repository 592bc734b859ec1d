// The small map of a Lab's page: its territory and its published practices (the list below the map holds the same
// practices, for keyboards and screen readers). Works without tiles: the markers stay on a plain background.
(function () {
  "use strict";
  var element = document.getElementById("lab-map");
  if (!element) return;
  var tiles = JSON.parse(document.getElementById("map-tiles").textContent);
  var points = JSON.parse(document.getElementById("lab-practices").textContent);
  var territoryData = document.getElementById("lab-territory");
  var map = L.map(element, { scrollWheelZoom: false }).setView([48.5, 12.0], 4);
  L.tileLayer(tiles.url, { attribution: tiles.attribution, maxZoom: 19 }).addTo(map);
  var bounds = L.latLngBounds([]);
  if (territoryData) {
    var territory = L.geoJSON(JSON.parse(territoryData.textContent), {
      style: { color: "#0b6e4f", weight: 2, fillOpacity: 0.05 },
      interactive: false,
    }).addTo(map);
    bounds.extend(territory.getBounds());
  }
  points.forEach(function (point) {
    var marker = L.circleMarker([point.lat, point.lng], {
      radius: 7, color: "#ffffff", weight: 2, fillColor: point.colour || "#0b6e4f", fillOpacity: 1,
    }).addTo(map);
    var link = document.createElement("a");
    link.href = point.url;
    link.textContent = point.title;
    marker.bindPopup(link);
    bounds.extend([point.lat, point.lng]);
  });
  element.dataset.practices = String(points.length);
  if (bounds.isValid()) map.fitBounds(bounds, { maxZoom: 13, padding: [16, 16] });
})();
