// The indicator dashboards: draws each chart with Chart.js from the numbers the server put in a json_script (labels
// already translated, unknown values as null so a gap stays a gap, never a zero). The table beside each chart holds
// the same numbers, with or without this script.
(function () {
  "use strict";
  if (typeof Chart === "undefined") return;
  // Colour-blind-safe palette (Okabe-Ito, darkened where needed for 3:1 contrast on white), then repeated with dashes.
  var palette = ["#0072b2", "#d55e00", "#009e73", "#cc79a7", "#8a6d00", "#56b4e9", "#6a3d9a", "#1d2327"];
  var reduceMotion = window.matchMedia("(prefers-reduced-motion: reduce)").matches;
  var numbers = new Intl.NumberFormat(document.documentElement.lang || undefined, { maximumFractionDigits: 3 });
  Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
  Chart.defaults.color = "#4f5b62";

  function dataset(entry, i, bars) {
    if (entry.kind === "baseline" || entry.kind === "target") {
      var colour = entry.kind === "target" ? "#d55e00" : "#4f5b62";
      return {
        type: "line", label: entry.label, data: entry.data, borderColor: colour, backgroundColor: colour,
        borderDash: entry.kind === "target" ? [6, 4] : [2, 3], borderWidth: 2, pointRadius: 3, stepped: "middle",
        spanGaps: true,
      };
    }
    var series = palette[i % palette.length];
    return {
      type: bars ? "bar" : "line", label: entry.label, data: entry.data, borderColor: series,
      backgroundColor: series, borderWidth: bars ? 0 : 2, borderDash: i >= palette.length ? [5, 3] : [],
      pointRadius: 3, tension: 0.2, spanGaps: false,
    };
  }

  document.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
    var source = document.getElementById(canvas.dataset.chart);
    if (!source) return;
    var data = JSON.parse(source.textContent);
    // A line needs a few points to say something: with one or two years, bars read better.
    var bars = data.labels.length < 3;
    var datasets = data.datasets.map(function (entry, i) { return dataset(entry, i, bars); });
    canvas.parentElement.hidden = false;
    var many = data.datasets.length > 3;
    new Chart(canvas, {
      type: bars ? "bar" : "line",
      data: { labels: data.labels, datasets: datasets },
      options: {
        maintainAspectRatio: false,
        animation: reduceMotion ? false : undefined,
        scales: {
          y: {
            beginAtZero: true,
            title: { display: Boolean(data.unit), text: data.unit },
            ticks: { precision: data.whole ? 0 : undefined, callback: function (value) { return numbers.format(value); } },
          },
        },
        plugins: {
          legend: { position: "bottom", labels: { boxWidth: many ? 10 : 20, font: { size: many ? 11 : 12 } } },
          tooltip: {
            callbacks: {
              label: function (item) {
                return item.dataset.label + ": " + (item.raw === null ? "–" : numbers.format(item.raw));
              },
            },
          },
        },
      },
    });
  });
})();
