/* The region dashboard's charts (统计看板), drawn with the vendored Apache ECharts from the data the page
 * passes through json_script ("chart-data", reports.views.chart_data).
 * Readable without colour: every bar and point carries its number, series differ by pattern (decal) and
 * symbol as well as colour, and each bar or point opens the household list behind it.
 */
(function () {
  "use strict";
  var source = document.getElementById("chart-data");
  if (!source || typeof echarts === "undefined") { return; }
  var data = JSON.parse(source.textContent);
  var L = data.labels;
  var charts = [];

  function draw(id, option, onClick) {
    var element = document.getElementById(id);
    if (!element) { return; }
    element.style.height = "320px";
    element.style.width = "100%";
    var chart = echarts.init(element, null, { renderer: "svg" });
    option.aria = { enabled: true, decal: { show: true } };
    option.animation = false;
    option.grid = option.grid || { left: 8, right: 16, top: 40, bottom: 8, containLabel: true };
    option.tooltip = option.tooltip || { trigger: "axis" };
    option.textStyle = { fontFamily: "system-ui, -apple-system, \"PingFang SC\", \"Microsoft YaHei\", sans-serif" };
    chart.setOption(option);
    if (onClick) {
      chart.on("click", onClick);
      chart.getZr().setCursorStyle && chart.getZr().setCursorStyle("pointer");
    }
    charts.push(chart);
  }

  function go(url) { if (url) { window.location.href = url; } }
  function byData(event) { go(event.data && event.data.url); }
  function separated(value) { return Number(value).toLocaleString("zh-CN"); }
  // Zeros are left unlabelled: a row of "0 0 0" over empty years hides the numbers that matter.
  function nonZero(params) { return params.value ? separated(params.value) : ""; }
  var label = { show: true, position: "top", fontSize: 11, formatter: nonZero };
  var tooltip = { trigger: "axis", valueFormatter: separated };
  var narrow = window.matchMedia && window.matchMedia("(max-width: 576px)").matches;

  draw("chart-flows", {
    legend: { top: 0 },
    tooltip: tooltip,
    xAxis: { type: "category", data: data.years, axisLabel: { rotate: narrow ? 45 : 0 } },
    yAxis: { type: "value", minInterval: 1, axisLabel: { formatter: separated } },
    series: [
      { name: L.identified, type: "bar", data: data.flows.identified, label: label },
      { name: L.returned, type: "bar", data: data.flows.returned, label: label },
      { name: L.exited, type: "bar", data: data.flows.exited, label: label }
    ]
  }, byData);

  draw("chart-stock", {
    legend: { top: 0 },
    tooltip: tooltip,
    xAxis: { type: "category", data: data.years, axisLabel: { rotate: narrow ? 45 : 0 } },
    yAxis: [{ type: "value", minInterval: 1, axisLabel: { formatter: separated } },
      { type: "value", minInterval: 1, splitLine: { show: false }, axisLabel: { formatter: separated } }],
    series: [
      { name: L.households, type: "line", symbol: "circle", symbolSize: 8, data: data.stock.households, label: label },
      { name: L.people, type: "line", yAxisIndex: 1, symbol: "triangle", symbolSize: 9,
        lineStyle: { type: "dashed" }, data: data.stock.people,
        label: { show: true, position: "bottom", fontSize: 11, formatter: nonZero } }
    ]
  }, byData);

  draw("chart-causes", {
    tooltip: { trigger: "item", valueFormatter: separated },
    grid: { left: 8, right: 48, top: 8, bottom: 8, containLabel: true },
    xAxis: { type: "value", minInterval: 1, axisLabel: { formatter: separated } },
    yAxis: { type: "category", inverse: true, data: data.causes.map(function (c) { return c.label; }) },
    series: [{ name: L.cause_households, type: "bar",
      label: { show: true, position: "right", formatter: function (p) { return separated(p.value); } },
      data: data.causes.map(function (c) { return { value: c.households, url: c.url }; }) }]
  }, byData);

  draw("chart-children", {
    legend: { top: 0 },
    tooltip: tooltip,
    grid: { left: 8, right: 16, top: 40, bottom: 8, containLabel: true },
    xAxis: { type: "category", data: data.children.map(function (c) { return c.name; }),
      axisLabel: { interval: 0, rotate: data.children.length > 4 || narrow ? 35 : 0 } },
    yAxis: { type: "value", minInterval: 1, axisLabel: { formatter: separated } },
    series: [
      { name: L.poor, type: "bar", label: label,
        data: data.children.map(function (c) { return { value: c.poor, url: c.poor_url }; }) },
      { name: L.exited_people, type: "bar", label: label,
        data: data.children.map(function (c) { return { value: c.exited, url: c.exited_url }; }) }
    ]
  }, byData);

  window.addEventListener("resize", function () { charts.forEach(function (chart) { chart.resize(); }); });
})();
