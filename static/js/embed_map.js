// The CoNECT map on a partner's page, without copying an iframe: every <div data-conect-map> gets one, whose address
// carries the div's filters (data-lab, data-theme="food,energy", data-country, data-bbox, data-view, data-q...).
// Served at /embed/map.js (a stable address); the map comes from the site that served this script.
(function () {
  "use strict";
  var script = document.currentScript;
  var origin = new URL(script ? script.src : "/", window.location.href).origin;
  var LANGUAGES = ["en", "it", "ro", "fr", "de", "es"];
  // Filters that may hold several values (comma-separated in the attribute); bbox, view and q are one value each.
  var LISTS = ["theme", "sdg", "dimension", "target_group", "country", "status", "scale"];
  var SINGLE = ["lab", "bbox", "view", "q"];

  function language(div) {
    var wanted = (div.getAttribute("data-lang") || document.documentElement.lang || "en").slice(0, 2).toLowerCase();
    return LANGUAGES.indexOf(wanted) >= 0 ? wanted : "en";
  }

  function query(div) {
    var params = new URLSearchParams();
    LISTS.concat(SINGLE).forEach(function (name) {
      var value = div.getAttribute("data-" + name.replace(/_/g, "-"));
      if (!value) return;
      (LISTS.indexOf(name) >= 0 ? value.split(",") : [value]).forEach(function (part) {
        if (part.trim()) params.append(name, part.trim());
      });
    });
    return params.toString();
  }

  function insert(div) {
    if (div.querySelector("iframe")) return; // the script may be on the page twice
    var frame = document.createElement("iframe");
    var params = query(div);
    frame.src = origin + "/" + language(div) + "/embed/map/" + (params ? "?" + params : "");
    frame.title = div.getAttribute("data-title") || "CoNECT: map of practices";
    frame.width = "100%";
    frame.height = div.getAttribute("data-height") || "480";
    frame.style.border = "0";
    frame.setAttribute("loading", "lazy");
    div.appendChild(frame);
  }

  function run() { document.querySelectorAll("[data-conect-map]").forEach(insert); }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", run);
  else run();
})();
