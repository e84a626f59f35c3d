/* Alert rule form: "Add a threshold" adds a row (the page works without it: one empty row is
   always there). Rows are a Django formset, so the new row takes the next index and the
   formset's TOTAL_FORMS grows with it. */
(function () {
  "use strict";
  var button = document.getElementById("threshold-add");
  var template = document.getElementById("threshold-row-template");
  var body = document.querySelector("[data-threshold-rows]");
  var total = document.querySelector('input[name="thresholds-TOTAL_FORMS"]');
  if (!button || !template || !body || !total) {
    return;
  }
  button.hidden = false;
  button.addEventListener("click", function () {
    var index = parseInt(total.value, 10) || 0;
    var row = template.content.firstElementChild.cloneNode(true);
    row.querySelectorAll("[name], [id]").forEach(function (input) {
      ["name", "id"].forEach(function (attribute) {
        var value = input.getAttribute(attribute);
        if (value) {
          input.setAttribute(attribute, value.replace("__prefix__", String(index)));
        }
      });
    });
    body.appendChild(row);
    total.value = String(index + 1);
    row.querySelector("input").focus();
  });
})();
