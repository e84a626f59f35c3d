// Follows an import job while it runs: fetches its page again every second and copies the
// server's rendering of each part (status, counts, progress, bad rows) into this one, so
// the words are the server's own ("Done", never "done"). The status line keeps its node,
// so screen readers announce its changes (role="status").
(function () {
  "use strict";
  var box = document.querySelector(".import-job");
  if (!box || !window.fetch || !window.DOMParser) { return; }
  var finished = function (status) { return status === "done" || status === "failed"; };
  if (finished(box.dataset.status)) { return; }

  function show(fresh) {
    box.querySelectorAll("[data-field]").forEach(function (node) {
      var twin = fresh.querySelector('[data-field="' + node.dataset.field + '"]');
      if (twin) { node.textContent = twin.textContent; }
    });
    var bar = document.getElementById("import-progress");
    var freshBar = fresh.querySelector("#import-progress");
    if (bar && freshBar) { bar.max = freshBar.max; bar.value = freshBar.value; }
    var table = document.getElementById("import-errors");
    var freshTable = fresh.querySelector("#import-errors");
    if (table && freshTable) {
      table.querySelector("tbody").innerHTML = freshTable.querySelector("tbody").innerHTML; /* escaped by the server */
      table.hidden = freshTable.hidden;
    }
    box.dataset.status = fresh.dataset.status;
  }

  function poll() {
    fetch(box.dataset.jobUrl, { credentials: "same-origin", headers: { Accept: "text/html" } })
      .then(function (answer) { return answer.ok ? answer.text() : null; })
      .then(function (html) {
        var fresh = html && new DOMParser().parseFromString(html, "text/html").querySelector(".import-job");
        if (!fresh) { return; }
        show(fresh);
        if (!finished(fresh.dataset.status)) { window.setTimeout(poll, 1000); }
      })
      .catch(function () { window.setTimeout(poll, 3000); });
  }
  poll();
})();
