// The API reference: Redoc (vendored by drf-spectacular-sidecar) reading our OpenAPI schema.
(function () {
  "use strict";
  var container = document.getElementById("redoc-container");
  Redoc.init(container.dataset.schemaUrl, {}, container);
})();
