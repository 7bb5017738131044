/* Jingzhun's few behaviours, without inline script (a Content-Security-Policy can forbid it).
 *   select.js-autosubmit     submits its form when changed (the language menu)
 *   #error-summary           takes the focus after a refused form, so it is read first
 *   [data-print]             prints the page
 */
(function () {
  "use strict";
  document.addEventListener("change", function (event) {
    var target = event.target;
    if (target.matches && target.matches("select.js-autosubmit") && target.form) {
      target.form.submit();
    }
  });
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-print]");
    if (button) {
      event.preventDefault();
      window.print();
    }
  });
  function focusSummary(root) {
    var summary = (root || document).querySelector("#error-summary");
    if (summary) { summary.focus(); }
  }
  document.addEventListener("DOMContentLoaded", function () { focusSummary(document); });
  document.addEventListener("htmx:afterSwap", function (event) { focusSummary(event.target); });
})();
