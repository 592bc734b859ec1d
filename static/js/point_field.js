// The django-leaflet point widget, made direct: one click on the map places (or moves) the point. The place
// finder and the coordinate boxes of the form move it too, and whatever moves the pin (a click, the "Draw a
// marker" tool, dragging it in the edit tool, deleting it) tells the coordinate boxes (see practice_form.js).
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
    this._announce();
  },
  onCreated: function (e) {
    L.GeometryField.prototype.onCreated.call(this, e);
    this._announce();
  },
  onEdited: function (e) {
    L.GeometryField.prototype.onEdited.call(this, e);
    this._announce();
  },
  onDeleted: function (e) {
    L.GeometryField.prototype.onDeleted.call(this, e);
    this._announce();
  },
  // Tell the form where the pin is now: "conect:point" with its latlng, or "conect:point-removed".
  _announce: function () {
    var markers = this.drawnItems.getLayers().filter(function (layer) { return layer.getLatLng; });
    if (markers.length) {
      document.dispatchEvent(new CustomEvent("conect:point", { detail: markers[markers.length - 1].getLatLng() }));
    } else {
      document.dispatchEvent(new CustomEvent("conect:point-removed"));
    }
  },
});
