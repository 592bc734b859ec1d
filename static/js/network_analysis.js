// The analysis page while its computation runs: asks every two seconds where it has got (analysis/status.json) and
// shows it in the page's live region; once it has ended, loads the page again for the figures. Without JavaScript
// the page says to reload it, which does the same.
(function () {
  "use strict";
  var box = document.getElementById("analysis-progress");
  if (!box) return;
  var url = box.getAttribute("data-status-url");
  var shown = null;

  function hideReloadHint() {
    box.querySelectorAll("[data-without-script]").forEach(function (hint) { hint.hidden = true; });
  }

  function poll() {
    fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (status) {
        if (status && !status.under_way) {
          window.location.reload();
          return;
        }
        if (status && status.html !== shown) {
          shown = status.html;
          box.innerHTML = status.html;
          hideReloadHint();
        }
        window.setTimeout(poll, 2000);
      })
      .catch(function () { window.setTimeout(poll, 5000); });
  }

  hideReloadHint();
  window.setTimeout(poll, 2000);
})();
