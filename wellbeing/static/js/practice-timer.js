// Guided-practice timer: start, pause, reset and a gentle end signal (a soft message and
// an optional quiet two-note tone). Without JavaScript the page shows the steps and duration.
(function () {
  "use strict";
  var box = document.getElementById("practice-timer");
  if (!box) { return; }
  var total = parseInt(box.getAttribute("data-seconds"), 10) || 300;
  var display = document.getElementById("timer-display");
  var startButton = document.getElementById("timer-start");
  var pauseButton = document.getElementById("timer-pause");
  var resetButton = document.getElementById("timer-reset");
  var toneBox = document.getElementById("timer-tone");
  var endNote = document.getElementById("timer-end");
  var remaining = total, endsAt = null, ticker = null;

  function format(seconds) {
    var m = Math.floor(seconds / 60), s = seconds % 60;
    return m + ":" + (s < 10 ? "0" : "") + s;
  }
  function show() { display.textContent = format(Math.max(0, Math.ceil(remaining))); }

  function softTone() {
    var Ctx = window.AudioContext || window.webkitAudioContext;
    if (!Ctx || !toneBox.checked) { return; }
    try {
      var ctx = new Ctx();
      [523.25, 659.25].forEach(function (freq, i) {
        var osc = ctx.createOscillator(), gain = ctx.createGain();
        var t = ctx.currentTime + i * 0.9;
        osc.type = "sine";
        osc.frequency.value = freq;
        gain.gain.setValueAtTime(0.0001, t);
        gain.gain.exponentialRampToValueAtTime(0.12, t + 0.08);
        gain.gain.exponentialRampToValueAtTime(0.0001, t + 1.6);
        osc.connect(gain).connect(ctx.destination);
        osc.start(t);
        osc.stop(t + 1.7);
      });
      setTimeout(function () { ctx.close(); }, 3000);
    } catch (e) { /* sound is optional */ }
  }

  function stopTicking() { if (ticker) { clearInterval(ticker); ticker = null; } }

  function finish() {
    stopTicking();
    remaining = 0;
    show();
    box.classList.add("is-finished");
    box.classList.remove("is-running");
    endNote.textContent = "Time is up. Take a moment to notice how you feel before you move on.";
    startButton.textContent = "Start again";
    startButton.disabled = false;
    pauseButton.disabled = true;
    softTone();
  }

  function tick() {
    remaining = (endsAt - Date.now()) / 1000;
    if (remaining <= 0) { finish(); } else { show(); }
  }

  startButton.addEventListener("click", function () {
    if (remaining <= 0) { remaining = total; }
    endNote.textContent = "";
    box.classList.remove("is-finished");
    box.classList.add("is-running");
    endsAt = Date.now() + remaining * 1000;
    stopTicking();
    ticker = setInterval(tick, 250);
    startButton.disabled = true;
    pauseButton.disabled = false;
    resetButton.disabled = false;
    pauseButton.focus();
    show();
  });

  pauseButton.addEventListener("click", function () {
    tick();
    stopTicking();
    box.classList.remove("is-running");
    startButton.textContent = "Resume";
    startButton.disabled = false;
    pauseButton.disabled = true;
    endNote.textContent = "Paused. Resume whenever you are ready.";
    startButton.focus();
  });

  resetButton.addEventListener("click", function () {
    stopTicking();
    remaining = total;
    box.classList.remove("is-running", "is-finished");
    startButton.textContent = "Start";
    startButton.disabled = false;
    pauseButton.disabled = true;
    resetButton.disabled = true;
    endNote.textContent = "";
    show();
    startButton.focus();
  });

  box.hidden = false;
  show();
}());
