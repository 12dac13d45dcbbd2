/*
 * Front-channel logout: go on to the service once every service's logout page has
 * loaded in its iframe, or after a few seconds whatever they do (a service that does
 * not answer must not keep the person here). Without JavaScript the person follows the
 * "Continue" link, and the frames have loaded by then or never will.
 */
(function () {
  "use strict";

  var link = document.querySelector("[data-continue]");
  var frames = document.querySelectorAll("[data-logout-frame]");
  if (!link) {
    return;
  }
  var target = link.getAttribute("href");
  var waiting = frames.length;
  var gone = false;

  function goOn() {
    if (!gone) {
      gone = true;
      window.location.assign(target);
    }
  }

  function loaded() {
    waiting -= 1;
    if (waiting <= 0) {
      goOn();
    }
  }

  for (var i = 0; i < frames.length; i += 1) {
    frames[i].addEventListener("load", loaded);
  }
  if (waiting <= 0) {
    goOn();
  }
  window.setTimeout(goOn, 5000);
})();
