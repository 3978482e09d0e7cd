// 附近驿站: fill the position from the phone's GPS (WGS-84; the server converts it to GCJ-02) and draw the
// venues found as points around the asker on a plain background (no map tiles, no borders).
(function () {
  "use strict";
  var form = document.querySelector("[data-nearby-form]");
  if (form) {
    var gps = form.querySelector("[name=gps]");
    var status = form.querySelector("[data-locate-status]");
    var typed = form.querySelector("[name=q]");
    form.querySelectorAll("[name=lat], [name=lng]").forEach(function (input) {
      input.addEventListener("input", function () { gps.value = ""; typed.value = ""; });
    });
    typed.addEventListener("input", function () {  // a typed place replaces the coordinates of the last search
      form.querySelector("[name=lat]").value = "";
      form.querySelector("[name=lng]").value = "";
      gps.value = "";
    });
    var button = form.querySelector("[data-locate]");
    button.addEventListener("click", function () {
      if (!navigator.geolocation) {
        status.textContent = "这个浏览器不能定位，请输入经纬度。";
        return;
      }
      status.textContent = "正在定位……";
      navigator.geolocation.getCurrentPosition(function (position) {
        form.querySelector("[name=lat]").value = position.coords.latitude.toFixed(6);
        form.querySelector("[name=lng]").value = position.coords.longitude.toFixed(6);
        gps.value = "1";
        typed.value = "";
        form.submit();
      }, function (error) {
        status.textContent = error.code === 1
          ? "没有定位权限：请在浏览器设置中允许本网站定位，或直接输入经纬度。"
          : "暂时无法定位，请稍后再试，或直接输入经纬度。";
      }, { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 });
    });
  }

  var box = document.querySelector("[data-venues-map]");
  var source = document.getElementById("venues-map-data");
  if (!box || !source || !window.echarts) { return; }
  var data = JSON.parse(source.textContent);
  if (!data.centre) { return; }
  var c = data.centre;
  var metres = 300;
  var rad = Math.PI / 180;
  data.points.forEach(function (p) {
    var dy = (p.lat - c.lat) * 111195;
    var dx = (p.lng - c.lng) * 111195 * Math.cos(c.lat * rad);
    metres = Math.max(metres, Math.abs(dx), Math.abs(dy));
  });
  var dLat = (metres * 1.15) / 111195;
  var dLng = dLat / Math.cos(c.lat * rad);
  var chart = window.echarts.init(box, null, { renderer: "svg" });
  var point = function (p) { return { name: p.name, value: [p.lng, p.lat], info: p }; };
  chart.setOption({
    animation: false,
    grid: { left: 8, right: 8, top: 8, bottom: 36 },
    legend: { bottom: 6, itemWidth: 12, itemHeight: 12, data: ["正在开放", "未开放", "我的位置"] },
    xAxis: { type: "value", min: c.lng - dLng, max: c.lng + dLng, axisLabel: { show: false },
             axisTick: { show: false }, axisLine: { show: false }, splitLine: { lineStyle: { color: "#e3e7ec" } } },
    yAxis: { type: "value", min: c.lat - dLat, max: c.lat + dLat, axisLabel: { show: false },
             axisTick: { show: false }, axisLine: { show: false }, splitLine: { lineStyle: { color: "#e3e7ec" } } },
    tooltip: {
      trigger: "item",
      formatter: function (item) {
        var p = item.data.info;
        if (!p) { return "我的位置"; }
        return echarts.format.encodeHTML(p.name) + "<br>" + p.direction + " " + p.distance +
          (p.open ? " · 正在开放" : " · 未开放");
      }
    },
    series: [
      { type: "scatter", name: "正在开放", symbolSize: 14, itemStyle: { color: "#198754" },
        data: data.points.filter(function (p) { return p.open; }).map(point) },
      { type: "scatter", name: "未开放", symbolSize: 12, itemStyle: { color: "#adb5bd" },
        data: data.points.filter(function (p) { return !p.open; }).map(point) },
      { type: "scatter", name: "我的位置", symbol: "pin", symbolSize: 26, itemStyle: { color: "#dc3545" },
        data: [{ name: "我的位置", value: [c.lng, c.lat] }] }
    ]
  });
  window.addEventListener("resize", function () { chart.resize(); });
})();
