/*
 * Organisation picker: progressive enhancement only.
 *
 * Without JavaScript the search, the page buttons and "show all" are buttons of the one
 * picker form; the server answers with the picker's address, keeping what is ticked.
 * With it:
 * - the list is filtered as the person types, over every organisation the person may
 *   choose (the server puts them all in #picker-data when the page shows only some),
 *   by name or organisation number, spaces ignored, as the server searches
 *   (ansattporten/flows/norwegian_order.py); organisations not on the page are added
 *   to it in their place in the list;
 * - a ticked organisation is never hidden, and the "chosen" list under the picker
 *   follows the ticks;
 * - Enter on an organisation continues (the form's default button is the search).
 * Texts come translated from data-msg-* attributes on #picker, with {placeholders}
 * filled in here.
 */
(function () {
  "use strict";

  var root = document.getElementById("picker");
  var form = document.getElementById("picker-form");
  var list = document.getElementById("org-list");
  if (!root || !form || !list) {
    return;
  }
  var groupsList = list.querySelector(".org-groups");
  var input = document.getElementById("q");
  var count = document.getElementById("picker-count");
  var noMatches = document.getElementById("picker-no-matches");
  var pager = document.getElementById("picker-pager");
  var chosenBox = document.getElementById("picker-chosen");
  var chosenTitle = document.getElementById("picker-selected");
  var chosenList = document.getElementById("picker-chosen-list");
  var announcer = document.getElementById("picker-announce");
  var chooseButton = form.querySelector("button[name='choose']");
  var inputType = root.getAttribute("data-input-type") || "radio";
  var initialCount = count ? count.textContent : "";
  var initialNoMatches = noMatches ? noMatches.textContent : "";
  var initialNoMatchesHidden = noMatches ? noMatches.hidden : true;
  var initialQuery = normalise(root.getAttribute("data-query") || "");
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

  function isDigits(text) {
    return /^\d+$/.test(text);
  }

  function nameMatches(name, orgno, query) {
    if (!query) {
      return true;
    }
    var compact = query.replace(/ /g, "");
    if (isDigits(compact) && orgno.indexOf(compact) !== -1) {
      return true;
    }
    var folded = normalise(name);
    if (folded.replace(/ /g, "").indexOf(compact) !== -1) {
      return true;
    }
    return query.split(" ").every(function (term) {
      return folded.indexOf(term) !== -1 || (isDigits(term) && orgno.indexOf(term) !== -1);
    });
  }

  function spaced(orgno) {
    return orgno.length === 9
      ? orgno.slice(0, 3) + " " + orgno.slice(3, 6) + " " + orgno.slice(6)
      : orgno;
  }

  function element(tag, className, text) {
    var made = document.createElement(tag);
    if (className) {
      made.className = className;
    }
    if (text !== undefined) {
      made.textContent = text;
    }
    return made;
  }

  // The organisations: from #picker-data when the page lists only some of them, else
  // from the page itself. Each: [orgno, name, unit type, deleted, selectable, subunits].
  var data = null;
  var dataBlock = document.getElementById("picker-data");
  if (dataBlock) {
    try {
      data = JSON.parse(dataBlock.textContent || "[]");
    } catch (error) {
      data = null;
    }
  }

  // What is on the page: entry element per organisation number, and the server's view.
  var entries = {};
  var serverView = [];
  Array.prototype.forEach.call(list.querySelectorAll("[data-org]"), function (entry) {
    entries[entry.getAttribute("data-orgno")] = entry;
    serverView.push(entry);
  });
  if (!data) {
    data = Array.prototype.map.call(list.querySelectorAll("[data-group]"), function (group) {
      var main = group.querySelector(".org--main");
      var subs = group.querySelectorAll(".org--sub");
      function describe(entry) {
        return [
          entry.getAttribute("data-orgno"),
          entry.getAttribute("data-name") || "",
          "",
          false,
          Boolean(entry.querySelector("input[name='party']")),
        ];
      }
      return describe(main).concat([Array.prototype.map.call(subs, describe)]);
    });
  }
  var total = 0;
  data.forEach(function (group) {
    total += (group[4] ? 1 : 0);
    group[5].forEach(function (sub) {
      total += (sub[4] ? 1 : 0);
    });
  });

  function entryContent(container, party, id) {
    var text = document.createDocumentFragment();
    text.appendChild(element("span", "org__name", party[1]));
    var meta = element("span", "org__meta");
    var number = element("span", "org__orgno");
    number.appendChild(element("span", "visually-hidden", message("orgno", {}) + " "));
    number.appendChild(element("span", "orgno", spaced(party[0])));
    meta.appendChild(number);
    if (party[2]) {
      meta.appendChild(element("span", "org__type", party[2]));
    }
    if (party[3]) {
      meta.appendChild(element("span", "tag tag--deleted", message("deleted", {})));
    }
    text.appendChild(meta);
    if (party[4]) {
      var box = element("input", "org__input");
      box.type = inputType;
      box.name = "party";
      box.id = id;
      box.value = party[0];
      var label = element("label", "org__label");
      label.htmlFor = id;
      label.appendChild(text);
      container.appendChild(box);
      container.appendChild(label);
    } else {
      var heading = element("div", "org__label org__label--static");
      heading.appendChild(text);
      container.appendChild(heading);
    }
    container.setAttribute("data-org", "");
    container.setAttribute("data-orgno", party[0]);
    container.setAttribute("data-name", party[1]);
    entries[party[0]] = container;
  }

  function placeIn(parent, child, index) {
    var after = null;
    Array.prototype.some.call(parent.children, function (sibling) {
      if (parseInt(sibling.getAttribute("data-index") || "0", 10) > index) {
        after = sibling;
        return true;
      }
      return false;
    });
    parent.insertBefore(child, after);
  }

  function groupElement(group, index) {
    var existing = entries[group[0]];
    if (existing) {
      return existing.parentNode;
    }
    var item = element("li", "org-group");
    item.setAttribute("data-group", "");
    item.setAttribute("data-index", String(index));
    item.setAttribute("data-added", "");
    var main = element(
      "div",
      "org org--main" + (group[4] ? "" : " org--heading") + (group[3] ? " org--deleted" : "")
    );
    entryContent(main, group, "party-" + index);
    item.appendChild(main);
    placeIn(groupsList, item, index);
    return item;
  }

  function subElement(groupItem, group, index, sub, subIndex) {
    var existing = entries[sub[0]];
    if (existing) {
      return existing;
    }
    var subList = groupItem.querySelector(".org-subunits");
    if (!subList) {
      subList = element("ul", "org-subunits");
      subList.setAttribute("aria-label", message("subunits", { name: group[1] }));
      groupItem.appendChild(subList);
    }
    var item = element("li", "org org--sub" + (sub[3] ? " org--deleted" : ""));
    item.setAttribute("data-index", String(subIndex));
    item.setAttribute("data-added", "");
    entryContent(item, sub, "party-" + index + "-" + subIndex);
    placeIn(subList, item, subIndex);
    return item;
  }

  function isChecked(orgno) {
    var entry = entries[orgno];
    var box = entry && entry.querySelector("input[name='party']");
    return Boolean(box && box.checked);
  }

  function setGroupVisibility() {
    Array.prototype.forEach.call(groupsList.querySelectorAll("[data-group]"), function (group) {
      var subs = group.querySelectorAll(".org--sub");
      var anySub = Array.prototype.some.call(subs, function (sub) {
        return !sub.hidden;
      });
      var main = group.querySelector(".org--main");
      group.hidden = Boolean(main && main.hidden) && !anySub;
      if (anySub && main) {
        main.hidden = false; // the main unit stays as context for its sub-units
      }
      var subList = group.querySelector(".org-subunits");
      if (subList) {
        subList.hidden = !anySub;
      }
    });
  }

  function restoreServerView() {
    Object.keys(entries).forEach(function (orgno) {
      var entry = entries[orgno];
      entry.hidden = serverView.indexOf(entry) === -1 && !isChecked(orgno);
    });
    setGroupVisibility();
    if (noMatches) {
      noMatches.textContent = initialNoMatches;
      noMatches.hidden = initialNoMatchesHidden;
    }
    if (pager) {
      pager.hidden = false;
    }
  }

  // Shows what matches `query` (and what is ticked); returns how many match.
  function filter(query) {
    var matched = 0;
    data.forEach(function (group, position) {
      var index = position + 1;
      var mainMatches = nameMatches(group[1], group[0], query);
      var wanted = [];
      group[5].forEach(function (sub, subPosition) {
        var hit = mainMatches || nameMatches(sub[1], sub[0], query);
        if (hit || isChecked(sub[0])) {
          wanted.push([sub, subPosition + 1]);
        }
        if (hit && sub[4]) {
          matched += 1;
        }
      });
      if (mainMatches && group[4]) {
        matched += 1;
      }
      var showMain = mainMatches || isChecked(group[0]);
      if (!showMain && wanted.length === 0) {
        if (entries[group[0]]) {
          entries[group[0]].hidden = true;
        }
        group[5].forEach(function (sub) {
          if (entries[sub[0]]) {
            entries[sub[0]].hidden = true;
          }
        });
        return;
      }
      var groupItem = groupElement(group, index);
      entries[group[0]].hidden = !showMain;
      var keep = {};
      wanted.forEach(function (pair) {
        subElement(groupItem, group, index, pair[0], pair[1]).hidden = false;
        keep[pair[0][0]] = true;
      });
      group[5].forEach(function (sub) {
        if (!keep[sub[0]] && entries[sub[0]]) {
          entries[sub[0]].hidden = true;
        }
      });
    });
    setGroupVisibility();
    if (noMatches) {
      noMatches.textContent = message("no-matches", {});
      noMatches.hidden = matched > 0;
    }
    if (pager) {
      pager.hidden = true;
    }
    return matched;
  }

  function update() {
    var query = normalise(input.value);
    if (query === initialQuery) {
      restoreServerView();
      scheduleCount(null);
      return;
    }
    scheduleCount(filter(query));
  }

  function scheduleCount(matched) {
    if (!count) {
      return;
    }
    window.clearTimeout(announceTimer);
    // A live region that changes on every keystroke chatters; wait for a pause.
    announceTimer = window.setTimeout(function () {
      count.textContent =
        matched === null ? initialCount : message("filtered", { shown: matched, total: total });
    }, 350);
  }

  function updateChosen(announce) {
    if (!chosenBox || !chosenList) {
      return;
    }
    var ticked = form.querySelectorAll("input[name='party']:checked");
    while (chosenList.firstChild) {
      chosenList.removeChild(chosenList.firstChild);
    }
    Array.prototype.forEach.call(ticked, function (box) {
      var entry = entries[box.value];
      var item = element("li", "", (entry && entry.getAttribute("data-name")) || box.value);
      item.appendChild(document.createTextNode(" "));
      item.appendChild(element("span", "orgno", spaced(box.value)));
      chosenList.appendChild(item);
    });
    var text = message("selected", { count: ticked.length });
    chosenBox.hidden = ticked.length === 0;
    if (chosenTitle) {
      chosenTitle.textContent = text;
    }
    if (announcer && announce) {
      announcer.textContent = ticked.length === 0 ? "" : text;
    }
  }

  if (input) {
    input.addEventListener("input", update);
  }
  form.addEventListener("change", function (event) {
    if (event.target && event.target.name === "party") {
      updateChosen(true);
    }
  });
  // Enter on an organisation means "continue", as on any form whose default button
  // is the one that goes on; here the default button is the search.
  form.addEventListener("keydown", function (event) {
    var target = event.target;
    if (event.key === "Enter" && target && target.name === "party" && chooseButton) {
      event.preventDefault();
      chooseButton.click();
    }
  });

  // The browser may restore a typed value or ticked boxes on back/forward navigation.
  if (input && normalise(input.value) !== initialQuery) {
    update();
  }
  updateChosen(false);
})();
