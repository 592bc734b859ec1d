// The composite index's form and page: on the form, another framework reloads the form with its own method and years;
// a run's page, once the run is done, draws the index as horizontal bars with Chart.js from the numbers the server put
// in a json_script (the table below the chart holds the same numbers, with or without this script). While a run is
// under way, progress.js follows it.
(function () {
  "use strict";
  // On the form, choosing another framework reloads the form with that framework's own method and years.
  var chooser = document.querySelector("form select[name=framework]");
  if (chooser) {
    chooser.addEventListener("change", function () {
      window.location.search = "?framework=" + encodeURIComponent(chooser.value);
    });
  }
  var canvas = document.querySelector("canvas[data-chart]");
  var source = canvas && document.getElementById(canvas.dataset.chart);
  if (!source || typeof Chart === "undefined") return;
  var data = JSON.parse(source.textContent);
  var numbers = new Intl.NumberFormat(document.documentElement.lang || undefined, { maximumFractionDigits: 3 });
  Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
  Chart.defaults.color = "#4f5b62";
  canvas.parentElement.hidden = false;
  canvas.parentElement.style.height = Math.max(12, Math.min(200, 4 + data.labels.length * 1.1)) + "rem";
  new Chart(canvas, {
    type: "bar",
    data: {
      labels: data.labels,
      datasets: [{ label: data.label, data: data.values, backgroundColor: "#0072b2", borderWidth: 0 }],
    },
    options: {
      indexAxis: "y",
      maintainAspectRatio: false,
      animation: window.matchMedia("(prefers-reduced-motion: reduce)").matches ? false : undefined,
      scales: { x: { beginAtZero: true, ticks: { callback: function (value) { return numbers.format(value); } } } },
      plugins: {
        legend: { display: false },
        tooltip: {
          callbacks: { label: function (item) { return item.dataset.label + ": " + numbers.format(item.raw); } },
        },
      },
    },
  });
})();
