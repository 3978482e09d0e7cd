// 一屏总览: the trend of the chosen figure (line), the children by it (bars: a click opens that child's
// overview), and the subtree by members (two rings). Data comes from the page's json_script, no inline script.
(function () {
  "use strict";
  document.querySelectorAll(".gh-progress .progress-bar[data-width]").forEach(function (bar) {
    bar.style.width = Math.min(100, parseFloat(bar.dataset.width) || 0) + "%";
  });
  var source = document.getElementById("governance-data");
  if (!source || !window.echarts) { return; }
  var data = JSON.parse(source.textContent);
  var red = "#c8102e";
  var unit = data.figure.unit;
  var narrow = window.matchMedia("(max-width: 575.98px)").matches;
  function chart(name) {
    var box = document.querySelector("[data-chart=" + name + "]");
    if (!box) { return null; }
    var c = window.echarts.init(box, null, { renderer: "svg" });
    window.addEventListener("resize", function () { c.resize(); });
    return c;
  }
  function go(id) {
    if (!id) { return; }
    var f = new URLSearchParams(window.location.search).get("f") || "";
    window.location.href = "/governance/orgs/" + id + "/" + (f ? "?f=" + encodeURIComponent(f) : "");
  }
  var trend = chart("trend");
  if (trend) {
    trend.setOption({
      color: [red], grid: { left: 8, right: 16, top: 16, bottom: 8, containLabel: true },
      tooltip: { trigger: "axis", valueFormatter: function (v) { return v.toLocaleString("zh-CN") + " " + unit; } },
      xAxis: { type: "category", data: data.trend.map(function (p) { return p[0]; }),
               axisLabel: { formatter: function (m) { return m.slice(2).replace("-", "/"); } } },
      yAxis: { type: "value", min: 0 },
      series: [{ type: "line", areaStyle: { opacity: 0.08 }, data: data.trend.map(function (p) { return p[1]; }) }]
    });
  }
  var bars = chart("children");
  if (bars) {
    var rows = data.children.slice().sort(function (a, b) { return a.value - b.value; });
    bars.getDom().style.height = Math.max(200, 28 * rows.length + 40) + "px";
    bars.resize();
    bars.setOption({
      color: [red], grid: { left: 8, right: 24, top: 8, bottom: 8, containLabel: true },
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
      xAxis: { type: "value" },
      yAxis: { type: "category", data: rows.map(function (r) { return r.name; }),
               axisLabel: { width: narrow ? 96 : 180, overflow: "truncate" } },
      series: [{ type: "bar", data: rows.map(function (r) { return { value: r.value, id: r.id }; }), cursor: "pointer" }]
    });
    bars.on("click", function (e) { go(e.data && e.data.id); });
  }
  var rings = chart("rings");
  if (rings) {
    rings.setOption({
      tooltip: { trigger: "item", formatter: "{b}<br>{c} 人（{d}%）" },
      series: [
        { type: "pie", radius: ["0%", "45%"], minShowLabelAngle: 18, cursor: "pointer", data: data.rings.inner,
          label: { position: "inner", fontSize: 11, overflow: "truncate", width: 64 } },
        { type: "pie", radius: ["50%", "75%"], minShowLabelAngle: 360, cursor: "pointer", data: data.rings.outer,
          label: { show: false }, labelLine: { show: false } }
      ]
    });
    rings.on("click", function (e) { go(e.data && e.data.id); });
  }
}());
