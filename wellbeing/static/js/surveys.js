// Survey form: keep the "N of M answered" count current and move focus to the list of
// missing answers when the page comes back with one. Works without this file too.
(function () {
  "use strict";
  var form = document.querySelector(".survey-form");
  if (!form) { return; }
  var counter = document.getElementById("answered-count");
  function update() {
    var names = {};
    var answered = 0;
    form.querySelectorAll("input[type=radio]").forEach(function (input) {
      if (!(input.name in names)) { names[input.name] = false; }
      if (input.checked) { names[input.name] = true; }
    });
    Object.keys(names).forEach(function (name) { if (names[name]) { answered += 1; } });
    if (counter) { counter.textContent = String(answered); }
  }
  form.addEventListener("change", update);
  update();
  var summary = document.getElementById("error-summary");
  if (summary) { summary.focus(); }
}());
