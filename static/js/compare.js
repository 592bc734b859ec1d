// The Labs comparison: draws each section's chart with Chart.js from the numbers the server put in a json_script
// (labels already translated). The table beside each chart holds the same numbers, with or without this script.
(function () {
  if (typeof Chart === "undefined") return;
  // Colour-blind-safe palette (Okabe-Ito, darkened where needed for 3:1 contrast on white), then repeated.
  var palette = ["#0072b2", "#d55e00", "#009e73", "#cc79a7", "#8a6d00", "#56b4e9", "#6a3d9a", "#1d2327"];
  var reduceMotion = window.matchMedia("(prefers-reduced-motion: reduce)").matches;
  var numbers = new Intl.NumberFormat(document.documentElement.lang || undefined);
  // The page's font and muted ink (WCAG AA on white) rather than Chart.js's light grey.
  Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
  Chart.defaults.color = "#4f5b62";

  document.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
    var source = document.getElementById(canvas.dataset.chart);
    if (!source) return;
    var data = JSON.parse(source.textContent);
    // A line needs a few points to say something: with one or two years, bars read better.
    var type = data.type === "line" && data.labels.length < 3 ? "bar" : data.type;
    var datasets = data.datasets.map(function (dataset, i) {
      var colour = palette[i % palette.length];
      return {
        label: dataset.label,
        data: dataset.data,
        backgroundColor: colour,
        borderColor: colour,
        borderWidth: type === "line" ? 2 : 0,
        tension: 0.2,
      };
    });
    canvas.parentElement.hidden = false;
    canvas.parentElement.style.height = Math.max(16, Math.min(40, 10 + data.labels.length * 1.5)) + "rem";
    new Chart(canvas, {
      type: type,
      data: { labels: data.labels, datasets: datasets },
      options: {
        maintainAspectRatio: false,
        animation: reduceMotion ? false : undefined,
        indexAxis: type === "bar" && data.labels.length > 6 ? "y" : "x",
        scales: {
          x: { beginAtZero: true, ticks: { precision: 0, callback: tick("x") } },
          y: { beginAtZero: true, ticks: { precision: 0, callback: tick("y") } },
        },
        plugins: {
          legend: { position: "bottom" },
          tooltip: {
            callbacks: {
              label: function (item) {
                return item.dataset.label + ": " + numbers.format(item.raw);
              },
            },
          },
        },
      },
    });

    function tick(axis) {
      // The value axis shows formatted numbers; the category axis its (translated) labels.
      return function (value) {
        var horizontal = type === "bar" && data.labels.length > 6;
        var valueAxis = horizontal ? "x" : "y";
        return axis === valueAxis ? numbers.format(value) : this.getLabelForValue(value);
      };
    }
  });
})();
