// Leaflet's zoom buttons and leaflet-draw's toolbars speak the page's language: their words come from the
// #leaflet-i18n element (templates/practices/_leaflet_i18n.html). Load after Leaflet (and leaflet-draw), before
// any map is made.
(function () {
  "use strict";
  var element = document.getElementById("leaflet-i18n");
  if (!element || !window.L) return;
  var t = element.dataset;
  L.Control.Zoom.mergeOptions({ zoomInTitle: t.zoomIn, zoomOutTitle: t.zoomOut });
  if (t.markerIcon) {
    // Leaflet looks for its marker images beside its stylesheet, by a name the static files' hashes change.
    L.Icon.Default.imagePath = "";
    L.Icon.Default.mergeOptions({ iconUrl: t.markerIcon, iconRetinaUrl: t.markerIcon2x, shadowUrl: t.markerShadow });
  }
  if (!L.drawLocal) return;
  // leaflet-draw writes its texts and tooltips as HTML (titles as plain text): escape what it reads as HTML.
  function html(text) {
    var span = document.createElement("span");
    span.textContent = text;
    return span.innerHTML;
  }
  var draw = L.drawLocal.draw, edit = L.drawLocal.edit;
  draw.toolbar.actions = { title: t.drawCancelTitle, text: html(t.drawCancelText) };
  draw.toolbar.finish = { title: t.drawFinishTitle, text: html(t.drawFinishText) };
  draw.toolbar.undo = { title: t.drawUndoTitle, text: html(t.drawUndoText) };
  draw.toolbar.buttons.marker = t.drawMarker;
  draw.toolbar.buttons.polygon = t.drawPolygon;
  draw.toolbar.buttons.rectangle = t.drawRectangle;
  draw.handlers.marker.tooltip.start = html(t.drawMarkerStart);
  draw.handlers.polygon.tooltip = {
    start: html(t.drawPolygonStart), cont: html(t.drawPolygonCont), end: html(t.drawPolygonEnd),
  };
  draw.handlers.polyline.error = html(t.drawCrossError);
  draw.handlers.rectangle.tooltip.start = html(t.drawRectangleStart);
  draw.handlers.simpleshape.tooltip.end = html(t.drawShapeEnd);
  edit.toolbar.actions.save = { title: t.editSaveTitle, text: html(t.editSaveText) };
  edit.toolbar.actions.cancel = { title: t.editCancelTitle, text: html(t.editCancelText) };
  edit.toolbar.actions.clearAll = { title: t.editClearTitle, text: html(t.editClearText) };
  edit.toolbar.buttons = {
    edit: t.editEdit, editDisabled: t.editEditDisabled, remove: t.editRemove, removeDisabled: t.editRemoveDisabled,
  };
  edit.handlers.edit.tooltip = { text: html(t.editEditText), subtext: html(t.editEditSubtext) };
  edit.handlers.remove.tooltip.text = html(t.editRemoveText);
})();
