// Partnership models compared: draws each section's chart with Chart.js from the numbers the server put in a
// json_script (labels already translated; shares already in percent). The table beside each chart holds the same
// numbers, with or without this script.
(function () {
  if (typeof Chart === "undefined") return;
  // The palette of the Labs comparison (Okabe-Ito, darkened for 3:1 contrast on white).
  var palette = ["#0072b2", "#d55e00", "#009e73", "#cc79a7", "#8a6d00", "#56b4e9", "#6a3d9a", "#1d2327"];
  var reduceMotion = window.matchMedia("(prefers-reduced-motion: reduce)").matches;
  var lang = document.documentElement.lang || undefined;
  Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
  Chart.defaults.color = "#4f5b62";

  document.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
    var source = document.getElementById(canvas.dataset.chart);
    if (!source) return;
    var data = JSON.parse(source.textContent);
    var numbers = new Intl.NumberFormat(lang, { maximumFractionDigits: data.percent ? 1 : data.decimals });
    var format = function (value) {
      return numbers.format(value) + (data.percent ? " %" : "");
    };
    var horizontal = data.labels.length > 4;
    var datasets = data.datasets.map(function (dataset, i) {
      var colour = palette[i % palette.length];
      return { label: dataset.label, data: dataset.data, backgroundColor: colour, borderColor: colour, borderWidth: 0 };
    });
    canvas.parentElement.hidden = false;
    canvas.parentElement.style.height = Math.max(16, Math.min(40, 8 + data.labels.length * datasets.length * 1.2)) + "rem";
    var valueAxis = { beginAtZero: true, ticks: { callback: function (value) { return format(value); } } };
    if (data.percent) valueAxis.max = 100;
    var categoryAxis = {};
    new Chart(canvas, {
      type: "bar",
      data: { labels: data.labels, datasets: datasets },
      options: {
        maintainAspectRatio: false,
        animation: reduceMotion ? false : undefined,
        indexAxis: horizontal ? "y" : "x",
        scales: horizontal ? { x: valueAxis, y: categoryAxis } : { x: categoryAxis, y: valueAxis },
        plugins: {
          legend: { position: "bottom" },
          tooltip: {
            callbacks: {
              label: function (item) {
                return item.dataset.label + ": " + (item.raw === null ? "—" : format(item.raw));
              },
            },
          },
        },
      },
    });
  });
})();
