// The import page while its job runs: asks every two seconds where the job has got and shows it; once the job has
// ended, loads the page again for its outcome. Without JavaScript the page says to reload it, which does the same.
(function () {
  "use strict";
  var box = document.getElementById("job-progress");
  if (!box) return;
  var url = box.getAttribute("data-progress-url");
  var shown = null;

  function hideReloadHint() {
    box.querySelectorAll("[data-without-script]").forEach(function (hint) { hint.hidden = true; });
  }

  function poll() {
    fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (job) {
        if (job && !job.under_way) {
          window.location.reload();
          return;
        }
        if (job && job.html !== shown) {
          shown = job.html;
          box.innerHTML = job.html;
          hideReloadHint();
        }
        window.setTimeout(poll, 2000);
      })
      .catch(function () { window.setTimeout(poll, 5000); });
  }

  hideReloadHint();
  window.setTimeout(poll, 1000);
})();
