// The indicators dashboard's map: each Lab's territory (or its place) coloured by its value, grey when it has not
// reported. The legend and the table beside the map say the same in words. Works without tiles.
(function () {
  "use strict";
  var element = document.getElementById("dashboard-map");
  if (!element) return;
  var tiles = JSON.parse(document.getElementById("map-tiles").textContent);
  var data = JSON.parse(document.getElementById("dashboard-map-data").textContent);
  var map = L.map(element, { scrollWheelZoom: false }).setView([48.5, 12.0], 4);
  L.tileLayer(tiles.url, { attribution: tiles.attribution, maxZoom: 19 }).addTo(map);
  function style(feature) {
    return { color: "#1d2327", weight: 1.5, fillColor: feature.properties.colour, fillOpacity: 0.85 };
  }
  var layer = L.geoJSON(data, {
    style: style,
    pointToLayer: function (feature, latlng) {
      return L.circleMarker(latlng, Object.assign(style(feature), { radius: 9 }));
    },
    onEachFeature: function (feature, shape) {
      var box = document.createElement("div");
      var link = document.createElement("a");
      link.href = feature.properties.url;
      link.textContent = feature.properties.name;
      box.appendChild(link);
      box.appendChild(document.createTextNode(": " + feature.properties.value));
      shape.bindPopup(box);
    },
  }).addTo(map);
  element.dataset.shapes = String(data.features.length);
  var bounds = layer.getBounds();
  if (bounds.isValid()) map.fitBounds(bounds, { maxZoom: 9, padding: [16, 16] });
})();
