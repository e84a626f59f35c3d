// Polls an import job's JSON while it runs and updates the progress bar and the result.
(function () {
  "use strict";
  var box = document.querySelector(".import-job");
  if (!box) { return; }
  var finished = function (status) { return status === "done" || status === "failed"; };
  if (finished(box.dataset.status)) { return; }

  function show(job) {
    box.querySelectorAll("[data-field]").forEach(function (node) {
      var name = node.dataset.field;
      if (name === "bad") { node.textContent = job.errors.length; }
      else if (job[name] !== undefined && job[name] !== null) { node.textContent = job[name]; }
    });
    var bar = document.getElementById("import-progress");
    if (job.total) { bar.max = job.total; bar.value = job.processed; } else { bar.removeAttribute("value"); }
    var table = document.getElementById("import-errors");
    var body = table.querySelector("tbody");
    body.textContent = "";
    job.errors.forEach(function (error) {
      var row = body.insertRow();
      row.insertCell().textContent = error.row;
      row.insertCell().textContent = error.message;
    });
    table.hidden = job.errors.length === 0;
  }

  function poll() {
    fetch(box.dataset.apiUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (answer) { return answer.ok ? answer.json() : null; })
      .then(function (job) {
        if (!job) { return; }
        show(job);
        if (!finished(job.status)) { window.setTimeout(poll, 1000); }
      })
      .catch(function () { window.setTimeout(poll, 3000); });
  }
  poll();
})();
