// A breathing guide: a circle that grows on the in-breath and shrinks on the out-breath,
// at the chosen breaths a minute, the out-breath a little longer (45% in, 55% out), as
// soothing breathing suggests. The words change too, so it works without motion.
(function () {
  "use strict";
  var box = document.getElementById("pacer");
  if (!box) { return; }
  var circle = document.getElementById("pacer-circle");
  var label = document.getElementById("pacer-label");
  var count = document.getElementById("pacer-count");
  var rateSelect = document.getElementById("pacer-rate");
  var toggle = document.getElementById("pacer-toggle");
  var IN_SHARE = 0.45;
  var timer = null, breaths = 0;

  function cycleMs() { return 60000 / (parseFloat(rateSelect.value) || 5.5); }

  function phase(breathingIn) {
    var ms = cycleMs() * (breathingIn ? IN_SHARE : 1 - IN_SHARE);
    if (breathingIn) { breaths += 1; }
    circle.style.transitionDuration = ms / 1000 + "s";
    circle.classList.toggle("is-in", breathingIn);
    label.textContent = breathingIn ? "Breathe in" : "Breathe out";
    count.textContent = "Breath " + breaths;
    timer = setTimeout(function () { phase(!breathingIn); }, ms);
  }

  function stop() {
    if (timer) { clearTimeout(timer); timer = null; }
    circle.style.transitionDuration = "1s";
    circle.classList.remove("is-in");
    label.textContent = "Ready when you are";
    toggle.textContent = "Start the guide";
  }

  toggle.addEventListener("click", function () {
    if (timer) { stop(); return; }
    breaths = 0;
    toggle.textContent = "Stop the guide";
    phase(true);
  });
  rateSelect.addEventListener("change", function () {
    if (timer) { clearTimeout(timer); breaths = 0; phase(true); }  // restart at the new pace
  });
  box.hidden = false;
}());
