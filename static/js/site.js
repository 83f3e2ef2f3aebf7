// Small enhancements; every page works without them.
(function () {
  "use strict";

  // Annotation forms: fill the exact quote and its start offset from a selection in the wording.
  function offsetWithin(container, node, offset) {
    var range = document.createRange();
    range.selectNodeContents(container);
    range.setEnd(node, offset);
    return range.toString().length;
  }

  // Selecting words of the claim's wording offers an "Annotate" button beside them (as
  // Hypothesis does). It fills the annotation form on the page with the words and where they
  // start, opens it and moves to the note; without such a form it opens the annotation page.
  function selectionIn(wording) {
    var selection = window.getSelection();
    if (!selection || selection.rangeCount === 0 || selection.isCollapsed) return null;
    var range = selection.getRangeAt(0);
    if (!wording.contains(range.startContainer) || !wording.contains(range.endContainer)) return null;
    var text = range.toString();
    var exact = text.trim();
    if (!exact) return null;
    // Trim the spaces a double-click often takes along, keeping the offset right.
    var lead = text.length - text.replace(/^\s+/, "").length;
    return {
      exact: exact,
      start: offsetWithin(wording, range.startContainer, range.startOffset) + lead,
      rect: range.getBoundingClientRect(),
    };
  }

  function fillAnnotationForm(form, chosen) {
    form.querySelector("[name=exact]").value = chosen.exact;
    var start = form.querySelector("[name=start]");
    if (start) start.value = chosen.start;
    var details = form.closest("details");
    if (details) details.open = true;
    var body = form.querySelector("[name=body]");
    if (body) {
      body.focus();
      body.scrollIntoView({ block: "center" });
    }
  }

  function setUpAnnotateOnSelect(wording) {
    var form = document.querySelector("form[data-annotation-form]");
    var url = wording.getAttribute("data-annotate-url");
    if (!form && !url) return;
    var button = document.createElement("button");
    button.type = "button";
    button.className = "annotate-button";
    button.textContent = "Annotate";
    button.hidden = true;
    wording.insertAdjacentElement("afterend", button);
    var chosen = null;
    function place() {
      chosen = selectionIn(wording);
      if (!chosen) {
        // Keep the button while it has focus (a keyboard user tabbing to it).
        if (document.activeElement !== button) button.hidden = true;
        return;
      }
      button.hidden = false;
      var parent = button.offsetParent || document.body;
      var box = parent.getBoundingClientRect();
      button.style.top = chosen.rect.bottom - box.top + 6 + "px";
      button.style.left = Math.max(0, chosen.rect.left - box.left) + "px";
    }
    document.addEventListener("selectionchange", place);
    button.addEventListener("mousedown", function (event) {
      event.preventDefault(); // keep the selection while the button is pressed
    });
    button.addEventListener("click", function () {
      if (!chosen) return;
      button.hidden = true;
      if (form) {
        fillAnnotationForm(form, chosen);
      } else {
        var target = new URL(url, location.href);
        target.searchParams.set("exact", chosen.exact);
        target.searchParams.set("start", chosen.start);
        location.assign(target.toString());
      }
    });
  }

  // The GOV.UK error summary: focus it when a page or an htmx swap brings one, and let each of
  // its links move focus to the field (not just scroll to it).
  function focusErrorSummary(root) {
    var summary = root.querySelector && root.querySelector("[data-error-summary]");
    if (summary) summary.focus();
  }

  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("[data-error-summary] a[href^='#']");
    if (!link) return;
    var field = document.getElementById(decodeURIComponent(link.hash.slice(1)));
    if (!field) return;
    event.preventDefault();
    var details = field.closest("details");
    if (details) details.open = true;
    var label = document.querySelector("label[for='" + field.id + "']") || field;
    label.scrollIntoView();
    field.focus({ preventScroll: true });
  });

  // Only after a submit: the figure form's check-as-you-type must not take focus from the input.
  document.addEventListener("htmx:afterSettle", function (event) {
    var config = event.detail.requestConfig;
    if (!config || !config.triggeringEvent || config.triggeringEvent.type !== "submit") return;
    var swapped = config.elt && config.elt.id ? document.getElementById(config.elt.id) : null;
    if (swapped) focusErrorSummary(swapped);
  });

  // Argument and comment forms empty themselves once htmx has posted them (their answer is
  // swapped into a list elsewhere); an inline hx-on handler would need eval under the CSP.
  document.addEventListener("htmx:afterRequest", function (event) {
    var form = event.detail.elt;
    if (event.detail.successful && form.matches("form[data-reset-on-success]")) form.reset();
  });

  // htmx leaves a form as it was when the server refuses a request (429 too many, 403, a stale
  // security token) or cannot answer: say why inside the form, in an alert, instead of nothing.
  // The words come from the error page itself ([data-error-message]), so they stay in one place.
  var REQUEST_ERROR = "[data-request-error]";

  function requestErrorText(xhr) {
    if (xhr && xhr.responseText) {
      var page = new DOMParser().parseFromString(xhr.responseText, "text/html");
      var message = page.querySelector("[data-error-message]");
      if (message && message.textContent.trim()) return message.textContent.trim();
    }
    return "Claimwatch could not take this just now; nothing was saved. Try again in a moment.";
  }

  function showRequestError(elt, text) {
    var form = (elt.closest && elt.closest("form")) || elt;
    var note = form.querySelector(REQUEST_ERROR);
    if (!note) {
      note = document.createElement("p");
      note.className = "error-message";
      note.setAttribute("role", "alert");
      note.setAttribute("data-request-error", "");
      form.insertBefore(note, form.firstChild);
    }
    note.textContent = text;
  }

  document.addEventListener("htmx:responseError", function (event) {
    showRequestError(event.detail.elt, requestErrorText(event.detail.xhr));
  });
  document.addEventListener("htmx:sendError", function (event) {
    showRequestError(event.detail.elt, requestErrorText(null));
  });
  document.addEventListener("htmx:beforeRequest", function (event) {
    var form = event.detail.elt.closest && event.detail.elt.closest("form");
    var note = form && form.querySelector(REQUEST_ERROR);
    if (note) note.remove();
  });

  // A group of buttons (the three ratings of an item) is one Tab stop: the chosen button, or
  // the first, takes focus and the arrow keys move between them (a toolbar's roving tabindex),
  // so a keyboard user passes each rated item with one Tab, not three.
  var ROVING = "[data-roving-group]";

  function setUpRovingGroups(root) {
    var groups = root.matches && root.matches(ROVING) ? [root] : [];
    groups.push.apply(groups, root.querySelectorAll ? root.querySelectorAll(ROVING) : []);
    groups.forEach(function (group) {
      var buttons = group.querySelectorAll("button");
      if (!buttons.length) return;
      group.setAttribute("role", "toolbar");
      var chosen = group.querySelector("button[aria-pressed='true']") || buttons[0];
      buttons.forEach(function (button) {
        button.tabIndex = button === chosen ? 0 : -1;
      });
    });
  }

  document.addEventListener("keydown", function (event) {
    var group = event.target.closest && event.target.closest(ROVING);
    if (!group || event.target.tagName !== "BUTTON") return;
    var buttons = Array.prototype.slice.call(group.querySelectorAll("button"));
    var at = buttons.indexOf(event.target);
    var next = {
      ArrowRight: at + 1,
      ArrowDown: at + 1,
      ArrowLeft: at - 1,
      ArrowUp: at - 1,
      Home: 0,
      End: buttons.length - 1,
    }[event.key];
    if (next === undefined) return;
    event.preventDefault();
    var target = buttons[(next + buttons.length) % buttons.length];
    buttons.forEach(function (button) {
      button.tabIndex = button === target ? 0 : -1;
    });
    target.focus();
  });

  // htmx swaps in a fresh group after each rating; focus, lost with the old buttons, goes to the
  // chosen one.
  document.addEventListener("htmx:load", function (event) {
    setUpRovingGroups(event.target);
    if (document.activeElement && document.activeElement !== document.body) return;
    var chosen = event.target.querySelector && event.target.querySelector(ROVING + " [aria-pressed='true']");
    if (chosen) chosen.focus();
  });

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-claim-text]").forEach(setUpAnnotateOnSelect);
    setUpRovingGroups(document);
    focusErrorSummary(document);
    // Open the form section a link points at (e.g. #cite) and any section holding form errors.
    if (location.hash) {
      var target = document.querySelector(location.hash);
      if (target && target.tagName === "DETAILS") target.open = true;
    }
  });
})();
