// Transaction forms: show "To account" only while the kind is a transfer. Without this script the field
// stays visible (its help text says it is only for transfers), so the form works either way.
(function () {
  document.querySelectorAll("form[data-transaction-form]").forEach(function (form) {
    var kind = form.querySelector("select[name=kind]");
    if (!kind) return;
    var rows = form.querySelectorAll("[data-shown-for-kind]");
    function update() {
      rows.forEach(function (row) {
        var shown = row.getAttribute("data-shown-for-kind") === kind.value;
        row.hidden = !shown;
        // A hidden choice is not sent, so an expense never carries a destination by mistake.
        row.querySelectorAll("select, input").forEach(function (input) { input.disabled = !shown; });
      });
    }
    kind.addEventListener("change", update);
    update();
  });
})();
