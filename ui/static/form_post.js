/*
 * OAuth 2.0 Form Post Response Mode: send the response to the client as soon as the page
 * has loaded. Without JavaScript the person presses the visible "Continue" button instead.
 */
(function () {
  "use strict";

  var form = document.getElementById("form-post");
  if (!form || !form.hasAttribute("data-auto-submit")) {
    return;
  }
  // Call the prototype's submit: a response parameter named "submit" would shadow
  // form.submit. submit() fires no submit event, so this cannot loop.
  HTMLFormElement.prototype.submit.call(form);
})();
