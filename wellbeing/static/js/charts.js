// Draws Plotly figures built on the server. Each chart element names, in data-plotly, the
// id of a <script type="application/json"> block holding the figure. The data table beside
// each chart carries the same numbers for anyone without JavaScript or a screen.
(function () {
  "use strict";
  function draw() {
    if (!window.Plotly) { return; }
    document.querySelectorAll("[data-plotly]").forEach(function (el) {
      var source = document.getElementById(el.getAttribute("data-plotly"));
      if (!source) { return; }
      var figure = JSON.parse(source.textContent);
      window.Plotly.newPlot(el, figure.data, figure.layout,
        { displayModeBar: false, responsive: true });
      el.classList.add("is-drawn");
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else { draw(); }
}());
