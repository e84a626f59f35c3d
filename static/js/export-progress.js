// Your data: while an export is being prepared, show its progress; reload when it is ready.
(function () {
  var waiting = document.querySelectorAll('li[data-export-status="queued"], li[data-export-status="running"]');
  waiting.forEach(function (item) {
    var state = item.querySelector(".export-state");
    function check() {
      fetch("/api/v1/me/export/" + item.getAttribute("data-export-id") + "/", { credentials: "same-origin" })
        .then(function (answer) { return answer.ok ? answer.json() : null; })
        .then(function (exp) {
          if (!exp) return;
          if (exp.status === "done" || exp.status === "failed") { window.location.reload(); return; }
          state.textContent = exp.status === "running" ? "Being prepared (" + exp.progress + "%)" : "Waiting to start";
          setTimeout(check, 2000);
        })
        .catch(function () { setTimeout(check, 5000); });
    }
    setTimeout(check, 1000);
  });
})();
