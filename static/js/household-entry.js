/* Entry pages of the register (households/entry): no inline script (a Content-Security-Policy can forbid it).
 *   .js-id-number     checks a resident ID as it is typed (GB 11643 check character) and fills the row's
 *                     birth date and sex; the server (ID-1, hx-post) has the last word.
 *   #add-member       asks the server for a blank member row with the next index (htmx) and counts it.
 *   .js-remove-member folds a new row away (it is left out when saved) and back.
 * Sentences come translated from the form's data-msg-* attributes.
 */
(function () {
  "use strict";
  var WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  var CHECK = "10X98765432";

  function message(form, name, values) {
    var text = (form && form.getAttribute("data-msg-" + name)) || "";
    Object.keys(values || {}).forEach(function (key) {
      text = text.split("%(" + key + ")s").join(values[key]);
    });
    return text;
  }

  // GB 11643-1999: the verdict on an 18-character resident ID number.
  function checkResidentId(number) {
    if (number.length !== 18) { return { error: "length", n: number.length }; }
    if (!/^[0-9]{17}[0-9X]$/.test(number)) { return { error: "characters" }; }
    var year = +number.slice(6, 10), month = +number.slice(10, 12), dayOfMonth = +number.slice(12, 14);
    var birth = new Date(year, month - 1, dayOfMonth);
    if (year < 1900 || birth.getFullYear() !== year || birth.getMonth() !== month - 1 || birth.getDate() !== dayOfMonth || birth > new Date()) {
      return { error: "date", date: number.slice(6, 14) };
    }
    var total = 0;
    for (var i = 0; i < 17; i++) { total += (+number.charAt(i)) * WEIGHTS[i]; }
    var expected = CHECK.charAt(total % 11);
    if (number.charAt(17) !== expected) { return { error: "check", expected: expected, actual: number.charAt(17) }; }
    return {
      birth: number.slice(6, 10) + "-" + number.slice(10, 12) + "-" + number.slice(12, 14),
      sex: (+number.charAt(16)) % 2 ? "male" : "female"
    };
  }

  function onIdInput(input) {
    var row = input.closest(".member-row");
    var form = input.closest("form");
    var out = document.getElementById(input.id + "_check");
    if (!row || !out) { return; }
    var type = row.querySelector(".js-id-type");
    var kind = type ? type.value : "resident_id";
    if (kind === "other") { out.textContent = ""; return; }
    var number = input.value.trim().toUpperCase();
    if (kind === "disability_cert") { number = number.slice(0, 18); }
    if (!number) { out.textContent = ""; return; }
    var verdict = checkResidentId(number);
    out.className = "id-check small mb-2 " + (verdict.error ? "text-danger" : "text-success");
    if (verdict.error) {
      out.textContent = message(form, verdict.error, verdict);
      return;
    }
    var birth = row.querySelector(".js-birth-date");
    var sex = row.querySelector(".js-sex");
    if (birth) { birth.value = verdict.birth; }
    if (sex) { sex.value = verdict.sex; }
    var parts = verdict.birth.split("-");
    out.textContent = "✓ " + message(form, "ok", {
      date: parts[0] + "年" + (+parts[1]) + "月" + (+parts[2]) + "日",
      sex: message(form, verdict.sex)
    });
  }

  document.addEventListener("input", function (event) {
    var target = event.target;
    if (target.matches && target.matches(".js-id-number")) { onIdInput(target); }
  });
  document.addEventListener("change", function (event) {
    var target = event.target;
    if (!target.matches) { return; }
    if (target.matches(".js-id-type")) {
      var row = target.closest(".member-row");
      var input = row && row.querySelector(".js-id-number");
      if (input) { onIdInput(input); }
    }
    if (target.matches(".js-remove-member")) {
      var member = target.closest(".member-row");
      if (member) { member.classList.toggle("member-removed", target.checked); }
    }
  });

  function totalForms() { return document.getElementById("id_members-TOTAL_FORMS"); }

  document.addEventListener("htmx:configRequest", function (event) {
    if (event.detail.elt && event.detail.elt.id === "add-member") {
      event.detail.parameters.index = totalForms().value;
    }
  });
  document.addEventListener("htmx:afterSwap", function (event) {
    if (event.detail.requestConfig && event.detail.requestConfig.elt && event.detail.requestConfig.elt.id === "add-member") {
      var total = totalForms();
      total.value = String(+total.value + 1);
      var rows = document.querySelectorAll("#member-rows .member-row");
      var last = rows[rows.length - 1];
      var first = last && last.querySelector("input:not([type=hidden]), select");
      if (first) { first.focus(); }
    }
  });
  // A row folded away before a refused save stays folded after it.
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll(".js-remove-member:checked").forEach(function (box) {
      var member = box.closest(".member-row");
      if (member) { member.classList.add("member-removed"); }
    });
  });
})();
