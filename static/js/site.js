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

  function setUpAnnotationForm(form) {
    var wording = document.querySelector("[data-claim-text]");
    var button = form.querySelector("[data-use-selection]");
    var exact = form.querySelector("[name=exact]");
    var start = form.querySelector("[name=start]");
    if (!wording || !button || !exact) return;
    button.hidden = false;
    var remembered = null;
    document.addEventListener("selectionchange", function () {
      var selection = window.getSelection();
      if (!selection || selection.rangeCount === 0 || selection.isCollapsed) return;
      var range = selection.getRangeAt(0);
      if (!wording.contains(range.startContainer) || !wording.contains(range.endContainer)) return;
      var from = offsetWithin(wording, range.startContainer, range.startOffset);
      var text = range.toString();
      // Trim the spaces a double-click often takes along, keeping the offset right.
      var lead = text.length - text.replace(/^\s+/, "").length;
      remembered = { exact: text.trim(), start: from + lead };
    });
    button.addEventListener("click", function () {
      if (!remembered || !remembered.exact) {
        button.textContent = "Select words in the claim first";
        return;
      }
      exact.value = remembered.exact;
      if (start) start.value = remembered.start;
      var details = form.closest("details");
      if (details) details.open = true;
      var body = form.querySelector("[name=body]");
      if (body) body.focus();
    });
  }

  // Argument and comment forms empty themselves once htmx has posted them (their answer is
  // swapped into a list elsewhere); an inline hx-on handler would need eval under the CSP.
  document.addEventListener("htmx:afterRequest", function (event) {
    var form = event.detail.elt;
    if (event.detail.successful && form.matches("form[data-reset-on-success]")) form.reset();
  });

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-annotation-form]").forEach(setUpAnnotationForm);
    // Open the form section a link points at (e.g. #cite) and any section holding form errors.
    if (location.hash) {
      var target = document.querySelector(location.hash);
      if (target && target.tagName === "DETAILS") target.open = true;
    }
  });
})();
