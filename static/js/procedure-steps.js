/* The procedure page (lifecycle): the notice's end suggested from its start and the standard's days, and the
 * appraisal's majority shown as the votes are typed. No inline script: loaded by procedure_detail.html. */
(function () {
  "use strict";
  function addDays(value, days) {
    var parts = value.split("-");
    if (parts.length !== 3) { return ""; }
    var day = new Date(Date.UTC(+parts[0], +parts[1] - 1, +parts[2] + days));
    return isNaN(day.getTime()) ? "" : day.toISOString().slice(0, 10);
  }
  document.addEventListener("change", function (event) {
    var start = event.target;
    if (!start.matches || !start.matches("[data-notice-start]")) { return; }
    var end = start.form && start.form.querySelector("[data-notice-days]");
    if (end && start.value) {
      var suggested = addDays(start.value, parseInt(end.getAttribute("data-notice-days"), 10) || 7);
      if (suggested && (!end.value || end.value < suggested)) { end.value = suggested; }
    }
  });
  document.addEventListener("input", function (event) {
    var form = event.target.form;
    var note = form && form.querySelector("[data-majority]");
    if (!note) { return; }
    var value = function (name) { var f = form.elements[name]; return f && f.value !== "" ? parseInt(f.value, 10) : NaN; };
    var yes = value("votes_for"), no = value("votes_against"), took = value("participants");
    if (isNaN(yes) || isNaN(no)) { return; }
    if (isNaN(took)) { took = yes + no; }
    var passes = yes > no && 2 * yes > took && yes + no <= took;
    note.textContent = (document.documentElement.lang === "en"
      ? (passes ? "Majority: the appraisal passes (" : "No majority: record it as not passed (")
      : (passes ? "已过半数：评议可以通过（" : "未过半数：评议应以不通过记录（")) + yes + " : " + no + " / " + took + (document.documentElement.lang === "en" ? ")" : "）");
    note.className = "small " + (passes ? "text-success" : "text-danger");
  });
})();
