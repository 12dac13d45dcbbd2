/*
 * Organisation picker: progressive enhancement only.
 *
 * Without JavaScript the search field is an ordinary GET form answered by the server.
 * With it, the list already on the page is filtered as the person types (by name or by
 * organisation number, spaces ignored), the count line follows, and with checkboxes a
 * line says how many are chosen. Pressing "Search" still asks the server, which matters
 * when the list is truncated. Texts come translated from data-msg-* attributes on
 * #picker, with {placeholders} filled in here.
 */
(function () {
  "use strict";

  var root = document.getElementById("picker");
  var input = document.getElementById("q");
  var list = document.getElementById("org-list");
  if (!root || !input || !list) {
    return;
  }

  var count = document.getElementById("picker-count");
  var noMatches = document.getElementById("picker-no-matches");
  var selected = document.getElementById("picker-selected");
  var groups = Array.prototype.slice.call(list.querySelectorAll("[data-group]"));
  var entries = list.querySelectorAll("[data-org]");
  var initialCount = count ? count.textContent : "";
  var initialQuery = normalise(root.getAttribute("data-query") || "");
  var total = parseInt(root.getAttribute("data-total") || "0", 10) || 0;
  var truncated = root.getAttribute("data-truncated") === "true";
  var announceTimer = 0;

  function message(name, values) {
    var template = root.getAttribute("data-msg-" + name) || "";
    return template.replace(/\{(\w+)\}/g, function (whole, key) {
      return Object.prototype.hasOwnProperty.call(values, key) ? String(values[key]) : whole;
    });
  }

  function normalise(text) {
    return text.toLocaleLowerCase().replace(/\s+/g, " ").trim();
  }

  function isChecked(entry) {
    var box = entry.querySelector("input[name='party']");
    return Boolean(box && box.checked);
  }

  function matcher(query) {
    var digits = /^[\d\s]+$/.test(query) ? query.replace(/\s+/g, "") : "";
    return function (entry) {
      if (!query || isChecked(entry)) {
        return true; // never hide what the person has already chosen
      }
      var name = normalise(entry.getAttribute("data-name") || "");
      if (name.indexOf(query) !== -1) {
        return true;
      }
      return digits !== "" && (entry.getAttribute("data-orgno") || "").indexOf(digits) !== -1;
    };
  }

  function filter() {
    var query = normalise(input.value);
    var matches = matcher(query);
    var visible = 0;

    groups.forEach(function (group) {
      var main = group.querySelector("[data-org].org--main");
      var subs = Array.prototype.slice.call(group.querySelectorAll("[data-org].org--sub"));
      var mainMatches = main ? matches(main) : false;
      var shownSubs = 0;
      subs.forEach(function (sub) {
        // A matching main unit brings its sub-units along.
        var show = mainMatches || matches(sub);
        sub.hidden = !show;
        if (show) {
          shownSubs += 1;
        }
      });
      var showGroup = mainMatches || shownSubs > 0;
      group.hidden = !showGroup;
      if (showGroup) {
        visible += shownSubs + (main ? 1 : 0);
      }
    });

    if (noMatches) {
      noMatches.hidden = visible > 0;
    }
    scheduleCount(query, visible);
  }

  function scheduleCount(query, visible) {
    if (!count) {
      return;
    }
    window.clearTimeout(announceTimer);
    // A live region that changes on every keystroke chatters; wait for a pause.
    announceTimer = window.setTimeout(function () {
      if (query === initialQuery) {
        count.textContent = initialCount;
        return;
      }
      var text = message("filtered", { shown: visible, total: entries.length });
      var narrower = initialQuery === "" || query.indexOf(initialQuery) !== -1;
      if (truncated || !narrower) {
        text += " " + message("search-all", { total: total });
      }
      count.textContent = text;
    }, 350);
  }

  function updateSelected() {
    if (!selected) {
      return;
    }
    var chosen = list.querySelectorAll("input[name='party']:checked").length;
    selected.hidden = chosen === 0;
    selected.textContent = chosen === 0 ? "" : message("selected", { count: chosen });
  }

  input.addEventListener("input", filter);
  list.addEventListener("change", updateSelected);

  // The browser may restore a typed value or ticked boxes on back/forward navigation.
  if (normalise(input.value) !== initialQuery) {
    filter();
  }
  updateSelected();
})();
