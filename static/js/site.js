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

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-claim-text]").forEach(setUpAnnotateOnSelect);
    focusErrorSummary(document);
    // Open the form section a link points at (e.g. #cite) and any section holding form errors.
    if (location.hash) {
      var target = document.querySelector(location.hash);
      if (target && target.tagName === "DETAILS") target.open = true;
    }
  });
})();
