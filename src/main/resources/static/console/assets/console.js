// The execution table's chart: records/s and duration of the finished runs on the page (uPlot, vendored).
(function () {
  function draw() {
    var holder = document.getElementById('run-chart');
    var data = document.getElementById('run-chart-data');
    if (!holder || !data || typeof uPlot === 'undefined') {
      return;
    }
    var rows = JSON.parse(data.textContent);
    var series = [rows.map(function (r) { return r[0]; }), rows.map(function (r) { return r[1]; }), rows.map(function (r) { return r[2]; })];
    new uPlot({
      width: Math.min(holder.clientWidth || 600, 900), height: 180,
      series: [{}, {label: 'records/s', stroke: '#1f6feb', scale: 'rate'}, {label: 'duration s', stroke: '#b35900', scale: 's'}],
      axes: [{}, {scale: 'rate'}, {scale: 's', side: 1, grid: {show: false}}]
    }, series, holder);
  }
  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', draw);
  } else {
    draw();
  }
})();
