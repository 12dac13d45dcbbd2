// Form Post Response Mode: submit the hidden form at once; the button is the fallback.
document.querySelectorAll("form.js-autosubmit").forEach((form) => form.submit());
