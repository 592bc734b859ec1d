// The django-leaflet point widget, made direct: one click on the map places (or moves) the point. The place
// finder and the coordinate boxes of the form move it too (see practice_form.js).
L.ClickPointField = L.GeometryField.extend({
  addTo: function (map) {
    L.GeometryField.prototype.addTo.call(this, map);
    var field = this;
    window.conectPointField = field;
    map.on("click", function (e) { field.place(e.latlng); });
  },
  place: function (latlng, zoom) {
    latlng = L.latLng(latlng);
    this.drawnItems.clearLayers();
    var marker = L.marker(latlng, { keyboard: false, alt: "" });
    this.drawnItems.addLayer(marker);
    this.store.save(this.drawnItems);
    if (zoom) { this._map.setView(latlng, zoom); }
    document.dispatchEvent(new CustomEvent("conect:point", { detail: latlng }));
  },
});
