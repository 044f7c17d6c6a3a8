// KSR Portal: small progressive enhancements; the pages work without JavaScript.
document.addEventListener("htmx:configRequest", function (event) {
  var token = document.querySelector("input[name=csrfmiddlewaretoken]");
  if (token) { event.detail.headers["X-CSRFToken"] = token.value; }
});
document.querySelectorAll("[data-autosubmit]").forEach(function (el) {
  el.addEventListener("change", function () { el.form.requestSubmit(); });
});
// A table (or its .table-responsive box) that scrolls sideways on a small screen gets keyboard
// access (tabindex=0), so that it can be scrolled without a mouse (axe: scrollable-region-focusable).
(function () {
  function markScrollable() {
    document.querySelectorAll("main table, main .table-responsive").forEach(function (el) {
      if (el.scrollWidth > el.clientWidth + 1 && !el.hasAttribute("tabindex")) {
        el.setAttribute("tabindex", "0");
      }
    });
  }
  var timer;
  markScrollable();
  window.addEventListener("resize", function () { clearTimeout(timer); timer = setTimeout(markScrollable, 150); });
  document.addEventListener("htmx:afterSettle", markScrollable);
})();
