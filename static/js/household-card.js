/* The household card's income chart: per-capita income by year against the poverty line (ECharts). */
(function () {
  "use strict";
  function draw() {
    var holder = document.getElementById("income-chart");
    var source = document.getElementById("chart-data");
    if (!holder || !source || !window.echarts) { return; }
    var data = JSON.parse(source.textContent);
    var chart = window.echarts.init(holder);
    chart.setOption({
      animation: false,
      grid: { left: 56, right: 12, top: 28, bottom: 28 },
      legend: { top: 0 },
      tooltip: { trigger: "axis" },
      xAxis: { type: "category", data: data.years },
      yAxis: { type: "value" },
      series: [
        { name: data.labels.per_capita, type: "bar", data: data.per_capita, itemStyle: { color: "#0d6efd" } },
        { name: data.labels.line, type: "line", step: "middle", data: data.line, itemStyle: { color: "#dc3545" } }
      ]
    });
    window.addEventListener("resize", function () { chart.resize(); });
  }
  document.addEventListener("DOMContentLoaded", draw);
})();
