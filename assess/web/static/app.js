// Progressive enhancement only: every page works without JavaScript.
(function () {
  "use strict";
  document.querySelectorAll("[data-copy]").forEach(function (button) {
    button.addEventListener("click", function () {
      var input = document.querySelector(button.getAttribute("data-copy"));
      if (!input) return;
      input.select();
      var done = function () {
        var label = button.textContent;
        button.textContent = button.getAttribute("data-done");
        setTimeout(function () { button.textContent = label; }, 2000);
      };
      if (navigator.clipboard) {
        navigator.clipboard.writeText(input.value).then(done, function () { document.execCommand("copy"); done(); });
      } else {
        document.execCommand("copy");
        done();
      }
    });
  });

  function drawCharts() {
    if (!window.Plotly) return;
    document.querySelectorAll("[data-chart]").forEach(function (el) {
      var data = document.getElementById(el.getAttribute("data-chart"));
      if (!data) return;
      var fig = JSON.parse(data.textContent);
      window.Plotly.newPlot(el, fig.data, fig.layout, { responsive: true, displaylogo: false, displayModeBar: false })
        .then(function () { el.setAttribute("data-drawn", "1"); });
    });
  }
  window.addEventListener("load", drawCharts);

  // A report being printed: ask for its state often (the page's own refresh is the fallback) and fetch
  // the file the moment it is there.
  var printing = document.querySelector("[data-report-state]");
  if (printing && window.fetch) {
    var url = printing.getAttribute("data-report-state");
    var ask = function () {
      fetch(url, { headers: { Accept: "application/json" }, cache: "no-store", credentials: "same-origin" })
        .then(function (r) { return r.json(); })
        .then(function (state) {
          if (state.state === "ready") { window.location.replace(printing.getAttribute("data-report-file")); }
          else if (state.state === "failed") { window.location.reload(); }
          else { setTimeout(ask, 300); }
        }, function () { setTimeout(ask, 2000); });
    };
    setTimeout(ask, 300);
  }
})();
