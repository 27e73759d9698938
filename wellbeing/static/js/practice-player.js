// The practice player: one step at a time, a quiet pause after each (its length comes from
// the practice's definition, in data-short / data-long on each step of the list), a soft
// chime made in the browser between steps, and, if chosen, the browser's own voice reading
// each step. Without JavaScript the page is the plain list of steps.
(function () {
  "use strict";
  var box = document.getElementById("player");
  var list = document.getElementById("steps");
  if (!box || !list) { return; }
  var items = Array.prototype.slice.call(list.querySelectorAll("li"));
  var setup = document.getElementById("player-setup");
  var stage = document.getElementById("player-stage");
  var countText = document.getElementById("player-count");
  var stepText = document.getElementById("player-step");
  var bar = document.getElementById("player-bar");
  var statusText = document.getElementById("player-status");
  var startButton = document.getElementById("player-start");
  var backButton = document.getElementById("player-back");
  var pauseButton = document.getElementById("player-pause");
  var nextButton = document.getElementById("player-next");
  var stopButton = document.getElementById("player-stop");
  var chimeBox = document.getElementById("player-chime");
  var narration = document.getElementById("player-narration");
  var speakBox = document.getElementById("player-speak");
  var voiceSelect = document.getElementById("player-voice");
  var rateSelect = document.getElementById("player-rate");
  var allSteps = document.getElementById("all-steps");
  var synth = window.speechSynthesis;

  var length = "short", index = 0, timer = null, deadline = 0, remaining = 0, total = 0;
  var paused = false, running = false, audio = null, speaking = false, pauseOver = false;
  var ticker = null;
  var speechId = 0;  // only the latest utterance's end counts (cancel ends the one before)

  // --- sound: two soft sine partials, made here, no audio files -------------------------
  // Browsers only let a page make sound it started from a click, and the chimes come
  // later, from timers: so the sound is switched on by the Begin button itself.
  function wakeAudio() {
    var Ctx = window.AudioContext || window.webkitAudioContext;
    if (!Ctx || !chimeBox.checked) { return; }
    try {
      audio = audio || new Ctx();
      if (audio.resume) { audio.resume(); }
    } catch (e) { audio = null; }
  }

  function chime() {
    if (!chimeBox.checked || !audio) { return; }
    try {
      [440, 660].forEach(function (freq, i) {
        var osc = audio.createOscillator(), gain = audio.createGain();
        var t = audio.currentTime;
        osc.type = "sine";
        osc.frequency.value = freq;
        gain.gain.setValueAtTime(0.0001, t);
        gain.gain.exponentialRampToValueAtTime(i ? 0.04 : 0.1, t + 0.05);
        gain.gain.exponentialRampToValueAtTime(0.0001, t + 2.5);
        osc.connect(gain).connect(audio.destination);
        osc.start(t);
        osc.stop(t + 2.6);
      });
    } catch (e) { /* sound is optional */ }
  }

  // --- narration: the Web Speech API where the browser has voices -----------------------
  function voices() { return synth && synth.getVoices ? synth.getVoices() : []; }

  function fillVoices() {
    var found = voices();
    if (!found.length) { return; }
    var lang = (document.documentElement.lang || "en").slice(0, 2);
    var chosen = voiceSelect.value;
    voiceSelect.innerHTML = "";
    found.forEach(function (voice, n) {
      var option = document.createElement("option");
      option.value = String(n);
      option.textContent = voice.name + " (" + voice.lang + ")";
      voiceSelect.appendChild(option);
    });
    var preferred = found.findIndex(function (v) { return (v.lang || "").indexOf(lang) === 0; });
    voiceSelect.value = chosen || String(Math.max(preferred, 0));
    narration.hidden = false;
  }

  function narrating() { return speakBox.checked && voices().length > 0; }

  function speak(text) {
    if (!narrating()) { return; }
    var utterance = new window.SpeechSynthesisUtterance(text);
    var voice = voices()[parseInt(voiceSelect.value, 10)];
    if (voice) { utterance.voice = voice; utterance.lang = voice.lang; }
    utterance.rate = parseFloat(rateSelect.value) || 0.9;
    synth.cancel();
    var mine = ++speechId;
    speaking = true;
    utterance.onend = utterance.onerror = function () {
      if (mine !== speechId) { return; }
      speaking = false;
      if (pauseOver && running && !paused) { advance(); }
    };
    synth.speak(utterance);
  }

  function hush() {
    speechId += 1;
    speaking = false;
    if (synth && synth.cancel) { synth.cancel(); }
  }

  // --- the steps ------------------------------------------------------------------------
  function pauseFor(n) {
    return (parseInt(items[n].getAttribute("data-" + length), 10) || 20) * 1000;
  }

  function clearTimer() {
    if (timer) { clearTimeout(timer); timer = null; }
    if (ticker) { clearInterval(ticker); ticker = null; }
  }

  // The bar fills once a second (a one-second glide where motion is welcome; under
  // prefers-reduced-motion the stylesheet drops the glide and it simply steps).
  function drawBar() {
    var left = paused ? remaining : Math.max(0, deadline - Date.now());
    bar.style.width = (100 * (1 - left / total)).toFixed(1) + "%";
  }

  function runTimer(ms) {
    clearTimer();
    deadline = Date.now() + ms;
    timer = setTimeout(function () {
      timer = null;
      if (ticker) { clearInterval(ticker); ticker = null; }
      drawBar();
      pauseOver = true;
      if (!speaking) { advance(); return; }  // a step still being read finishes first
      // ...unless the voice never says it has finished (some browsers lose the event).
      timer = setTimeout(function () { timer = null; hush(); advance(); }, 30000);
    }, ms);
    ticker = setInterval(drawBar, 1000);
    drawBar();
  }

  function show(n, withChime) {
    index = n;
    pauseOver = false;
    total = pauseFor(n);
    countText.textContent = "Step " + (n + 1) + " of " + items.length;
    stepText.textContent = items[n].textContent;
    statusText.textContent = "";
    backButton.disabled = n === 0;
    if (withChime) { chime(); }
    speak(items[n].textContent);
    runTimer(total);
  }

  function advance() {
    if (index + 1 < items.length) { show(index + 1, true); } else { finish(); }
  }

  function finish() {
    clearTimer();
    running = false;
    chime();
    countText.textContent = "Finished";
    stepText.textContent = "Take a moment to notice how you feel before you move on.";
    statusText.textContent = "";
    bar.style.width = "100%";
    pauseButton.hidden = true;
    nextButton.hidden = true;
    backButton.hidden = true;  // the end offers only closing and logging
    stopButton.textContent = "Close the player";
    var minutes = box.getAttribute("data-" + length + "-minutes");
    var link = document.getElementById("player-log");
    if (!link) {
      link = document.createElement("a");
      link.id = "player-log";
      link.className = "button button-secondary";
      link.textContent = "Log this practice";
      statusText.parentNode.insertBefore(link, statusText);
    }
    link.href = box.getAttribute("data-log-url") + "&minutes=" + minutes;
    link.hidden = false;
    stepText.focus();
  }

  function setPaused(state) {
    paused = state;
    if (paused) {
      remaining = Math.max(0, deadline - Date.now());
      clearTimer();
      hush();
      drawBar();
      pauseButton.textContent = "Resume";
      statusText.textContent = "Paused. Resume whenever you are ready.";
    } else {
      pauseButton.textContent = "Pause";
      statusText.textContent = "";
      if (pauseOver) { advance(); } else { runTimer(remaining); }
    }
  }

  function begin() {
    wakeAudio();
    var checked = box.querySelector("input[name=player-length]:checked");
    length = checked ? checked.value : "short";
    running = true;
    paused = false;
    setup.hidden = true;
    stage.hidden = false;
    pauseButton.hidden = false;
    nextButton.hidden = false;
    backButton.hidden = false;
    pauseButton.textContent = "Pause";
    stopButton.textContent = "Stop";
    var link = document.getElementById("player-log");
    if (link) { link.hidden = true; }
    show(0, false);
    stepText.focus();
  }

  function stop() {
    clearTimer();
    hush();
    running = false;
    paused = false;
    stage.hidden = true;
    setup.hidden = false;
    startButton.focus();
  }

  startButton.addEventListener("click", begin);
  pauseButton.addEventListener("click", function () {
    if (running) { setPaused(!paused); }
  });
  backButton.addEventListener("click", function () {
    if (!running) { return; }
    paused = false;
    pauseButton.textContent = "Pause";
    show(Math.max(0, index - 1), false);
  });
  nextButton.addEventListener("click", function () {
    if (!running) { return; }
    paused = false;
    pauseButton.textContent = "Pause";
    hush();
    advance();
  });
  stopButton.addEventListener("click", stop);
  document.addEventListener("keydown", function (event) {
    // Space pauses and resumes while the player has focus, like most media players.
    if (!running || stage.hidden || event.key !== " ") { return; }
    if (event.target === stepText) {
      event.preventDefault();
      setPaused(!paused);
    }
  });

  // Minutes of each version, for the log link at the end.
  var durations = { short: 0, long: 0 };
  items.forEach(function (li) {
    durations.short += parseInt(li.getAttribute("data-short"), 10) || 0;
    durations.long += parseInt(li.getAttribute("data-long"), 10) || 0;
  });
  box.setAttribute("data-short-minutes", Math.max(1, Math.round(durations.short / 60)));
  box.setAttribute("data-long-minutes", Math.max(1, Math.round(durations.long / 60)));

  // The person's choices (length, chime, narration, voice, speed) are remembered on this
  // device only, so the next practice starts the way they like it.
  var STORE = "wellbeing.player";
  function remembered() {
    try { return JSON.parse(window.localStorage.getItem(STORE)) || {}; } catch (e) { return {}; }
  }
  function remember() {
    var checked = box.querySelector("input[name=player-length]:checked");
    var voice = voices()[parseInt(voiceSelect.value, 10)];
    try {
      window.localStorage.setItem(STORE, JSON.stringify({
        length: checked ? checked.value : "short", chime: chimeBox.checked,
        speak: speakBox.checked, voice: voice ? voice.name : null, rate: rateSelect.value}));
    } catch (e) { /* private browsing: nothing is kept, nothing breaks */ }
  }
  var saved = remembered();
  if (saved.length) {
    var option = box.querySelector("input[name=player-length][value=" + saved.length + "]");
    if (option) { option.checked = true; }
  }
  if (typeof saved.chime === "boolean") { chimeBox.checked = saved.chime; }
  if (typeof saved.speak === "boolean") { speakBox.checked = saved.speak; }
  if (saved.rate && rateSelect.querySelector("option[value='" + saved.rate + "']")) {
    rateSelect.value = saved.rate;
  }
  if (synth && window.SpeechSynthesisUtterance) {
    fillVoices();
    if (saved.voice) {
      var at = voices().findIndex(function (v) { return v.name === saved.voice; });
      if (at >= 0) { voiceSelect.value = String(at); }
    }
    if (synth.addEventListener) { synth.addEventListener("voiceschanged", fillVoices); }
  }
  setup.addEventListener("change", remember);
  box.hidden = false;
  if (allSteps) { allSteps.open = false; }  // the whole list stays one click away
}());
