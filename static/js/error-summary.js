// The error summary at the top of a form page takes focus, so the user hears and sees what to
// correct; after an htmx swap, focus moves to the swapped part's summary or confirmation.
(function () {
  function focusIn(root) {
    var target = root.querySelector("[data-error-summary]") || root.querySelector("[data-saved]");
    if (target) { target.focus(); }
  }
  document.addEventListener("DOMContentLoaded", function () {
    var summary = document.querySelector("[data-error-summary]");
    if (summary) { summary.focus(); }
  });
  document.addEventListener("htmx:afterSettle", function (event) {
    var id = (event.detail.target && event.detail.target.id) || (event.detail.elt && event.detail.elt.id);
    var swapped = id && id.indexOf("activity-") === 0 ? document.getElementById(id) : null;
    if (swapped) { focusIn(swapped); }
  });
})();
