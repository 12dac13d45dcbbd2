/*
 * The login's time limit. The page says once, in plain text, how long is left; this
 * script warns (role="alert") two minutes before the limit and counts the last minutes
 * down, and when the time is up takes the browser to the page that says the login has
 * expired and what to do. Without JavaScript the form still works until the limit, and
 * a later submit gets the same "expired" page from the server.
 */
(function () {
  "use strict";

  var notice = document.getElementById("deadline");
  var warning = document.getElementById("deadline-warning");
  if (!notice || !warning) {
    return;
  }
  var seconds = parseInt(notice.getAttribute("data-expires-in") || "", 10);
  if (!(seconds >= 0)) {
    return;
  }
  var expiredUrl = notice.getAttribute("data-expired-url") || "";
  var deadline = Date.now() + seconds * 1000;
  var WARN_BEFORE = 120;
  var shown = "";

  function say(text) {
    if (text === shown) {
      return;
    }
    shown = text;
    warning.textContent = text;
    warning.hidden = false;
  }

  function tick() {
    var left = Math.round((deadline - Date.now()) / 1000);
    if (left <= 0) {
      if (expiredUrl) {
        window.location.assign(expiredUrl);
      }
      return;
    }
    if (left <= WARN_BEFORE) {
      var minutes = Math.ceil(left / 60);
      var name = minutes <= 1 ? "data-msg-last-minute" : "data-msg-warning";
      say((notice.getAttribute(name) || "").replace("{minutes}", String(minutes)));
    }
    window.setTimeout(tick, Math.min(1000 * Math.max(1, left - WARN_BEFORE), 5000));
  }

  tick();
})();
