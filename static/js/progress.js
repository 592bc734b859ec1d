// A page whose work runs on the task queue (an import, a network analysis, a composite index), while it runs: asks
// the URL in the element's data-progress-url where the work has got, shows the progress HTML it answers in that
// element (only the parts that changed, so that a screen reader hears the new figure, not the heading again), and once
// the work has ended loads the page again for its outcome. The first asks come soon (a quarter of a second, then
// doubling up to every two seconds): short work is shown done as soon as it is, long work costs one request every two
// seconds. Without JavaScript, or when the asks keep failing (signed out, the network gone), the page says to reload
// it, which does the same.
(function () {
  "use strict";
  var box = document.querySelector("[data-progress-url]");
  if (!box) return;
  var url = box.getAttribute("data-progress-url");
  var shown = null;
  var delay = 250;
  var failures = 0;
  var LONGEST = 2000;
  var AFTER_ERROR = 5000;
  var FAILURES_BEFORE_HINT = 3;

  function showReloadHint(show, root) {
    (root || box).querySelectorAll("[data-without-script]").forEach(function (hint) { hint.hidden = !show; });
  }

  function update(html) {
    var fresh = document.createElement("div");
    fresh.innerHTML = html;
    showReloadHint(failures >= FAILURES_BEFORE_HINT, fresh);
    var next = Array.prototype.slice.call(fresh.children);
    var current = Array.prototype.slice.call(box.children);
    if (next.length !== current.length) {
      box.replaceChildren.apply(box, next);
      return;
    }
    next.forEach(function (node, i) {
      if (!node.isEqualNode(current[i])) current[i].replaceWith(node);
    });
  }

  function later() {
    window.setTimeout(poll, delay);
    delay = Math.min(delay * 2, LONGEST);
  }

  function failed() {
    failures += 1;
    if (failures >= FAILURES_BEFORE_HINT) showReloadHint(true);
    window.setTimeout(poll, AFTER_ERROR);
  }

  function poll() {
    fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin", redirect: "error" })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (status) {
        if (!status) {
          failed();
          return;
        }
        if (!status.under_way) {
          window.location.reload();
          return;
        }
        if (failures) {
          failures = 0;
          showReloadHint(false);
        }
        if (typeof status.html === "string" && status.html !== shown) {
          shown = status.html;
          update(status.html);
        }
        later();
      })
      .catch(failed);
  }

  showReloadHint(false);
  later();
})();
