/* Language switch: zh / en / both, remembered in localStorage. Pages read fine without it. */
(function () {
  "use strict";
  var root = document.documentElement;
  var KEY = "kg-ui-lang";
  function stored() {
    try { return window.localStorage.getItem(KEY); } catch (e) { return null; }
  }
  function apply(mode) {
    if (mode !== "zh" && mode !== "en") { mode = "both"; }
    if (mode === "both") { root.removeAttribute("data-ui"); } else { root.setAttribute("data-ui", mode); }
    var buttons = document.querySelectorAll(".lang-switch button");
    for (var i = 0; i < buttons.length; i++) {
      buttons[i].setAttribute("aria-pressed", String(buttons[i].getAttribute("data-ui") === mode));
    }
  }
  root.classList.add("js");
  apply(stored());
  document.addEventListener("DOMContentLoaded", function () {
    apply(stored());
    var buttons = document.querySelectorAll(".lang-switch button");
    for (var i = 0; i < buttons.length; i++) {
      buttons[i].addEventListener("click", function (event) {
        var mode = event.currentTarget.getAttribute("data-ui");
        try { window.localStorage.setItem(KEY, mode); } catch (e) { /* file:// without storage */ }
        apply(mode);
      });
    }
  });
})();
