// A page whose work runs on the task queue (an import, a network analysis, a composite index), while it runs: asks
// the URL in the element's data-progress-url where the work has got, shows the progress HTML it answers (if any) in
// that element, and once the work has ended loads the page again for its outcome. The first asks come soon (a
// quarter of a second, then doubling up to every two seconds): short work is shown done as soon as it is, long work
// costs one request every two seconds. Without JavaScript the page says to reload it, which does the same.
(function () {
  "use strict";
  var box = document.querySelector("[data-progress-url]");
  if (!box) return;
  var url = box.getAttribute("data-progress-url");
  var shown = null;
  var delay = 250;
  var LONGEST = 2000;
  var AFTER_ERROR = 5000;

  function hideReloadHint() {
    box.querySelectorAll("[data-without-script]").forEach(function (hint) { hint.hidden = true; });
  }

  function later() {
    window.setTimeout(poll, delay);
    delay = Math.min(delay * 2, LONGEST);
  }

  function poll() {
    fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (status) {
        if (status && !status.under_way) {
          window.location.reload();
          return;
        }
        if (status && typeof status.html === "string" && status.html !== shown) {
          shown = status.html;
          box.innerHTML = status.html;
          hideReloadHint();
        }
        later();
      })
      .catch(function () { window.setTimeout(poll, AFTER_ERROR); });
  }

  hideReloadHint();
  later();
})();
