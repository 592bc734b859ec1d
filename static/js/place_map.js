// Small maps on detail pages: one marker (and an area when there is one). Works without tiles: the marker
// stays on a plain background when the base map cannot load.
(function () {
  "use strict";
  document.querySelectorAll("[data-place-map]").forEach(function (element) {
    var place = JSON.parse(document.getElementById(element.dataset.placeMap).textContent);
    var tiles = JSON.parse(document.getElementById("map-tiles").textContent);
    var map = L.map(element, { scrollWheelZoom: false }).setView([place.lat, place.lng], place.zoom || 14);
    L.tileLayer(tiles.url, { attribution: tiles.attribution, maxZoom: 19 }).addTo(map);
    if (place.area) {
      var area = L.geoJSON(place.area, { style: { color: "#0b6e4f", weight: 2 } }).addTo(map);
      map.fitBounds(area.getBounds(), { maxZoom: 17 });
    }
    L.circleMarker([place.lat, place.lng], {
      radius: 9, color: "#ffffff", weight: 2, fillColor: place.colour || "#0b6e4f", fillOpacity: 1,
    }).addTo(map);
  });
})();
