/* The dashboard's 30-day charts: reads the data from the json_script element and draws them with the vendored
   Chart.js (static/operations/vendor/chart.umd.js). No inline script: the page's policy forbids it. */
(function () {
  "use strict";

  function draw() {
    var source = document.getElementById("dashboard-chart");
    if (!source || typeof window.Chart === "undefined") {
      return;
    }
    var data = JSON.parse(source.textContent);
    var days = data.days.map(function (day) {
      return day.slice(5); // MM-DD
    });
    var colours = { new_users: "#417690", orders_placed: "#e1251b", revenue_paid: "#3a7d44" };
    document.querySelectorAll("canvas[data-series]").forEach(function (canvas) {
      var series = canvas.getAttribute("data-series");
      new window.Chart(canvas, {
        type: series === "revenue_paid" ? "bar" : "line",
        data: {
          labels: days,
          datasets: [
            {
              label: data.labels[series],
              data: data[series].map(Number),
              borderColor: colours[series],
              backgroundColor: colours[series],
              tension: 0.2,
            },
          ],
        },
        options: {
          responsive: true,
          maintainAspectRatio: false,
          animation: false,
          plugins: { legend: { display: false } },
          scales: { y: { beginAtZero: true, ticks: { precision: 0 } } },
        },
      });
      canvas.setAttribute("data-drawn", "true");
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
