/* Pages with figures (the dashboard, budgets) show new ones without a reload. When the
   socket (notifications.js) reports a ledger change or a new notification, the page is
   fetched again and each region marked data-live="name" is replaced by the server's fresh
   rendering of it: the same template, so every word and figure is the server's own. */
(function () {
  "use strict";
  if (!document.querySelector("[data-live]") || !window.fetch || !window.DOMParser) {
    return;
  }
  var WAIT_MS = 250; /* a burst of events (an import's batches) costs one fetch */
  var status = document.querySelector("[data-live-status]");
  var timer = null;
  var busy = false;
  var again = false;

  function swap(html) {
    var fresh = new DOMParser().parseFromString(html, "text/html");
    document.querySelectorAll("[data-live]").forEach(function (region) {
      var next = fresh.querySelector('[data-live="' + region.getAttribute("data-live") + '"]');
      if (next) {
        region.replaceWith(document.importNode(next, true));
      }
    });
    if (status) {
      var now = new Date();
      status.textContent = "Figures updated at " + now.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" }) + ".";
    }
    document.dispatchEvent(new CustomEvent("spendwise:refreshed"));
  }

  function refresh() {
    if (busy) {
      again = true;
      return;
    }
    busy = true;
    window.fetch(window.location.href, { credentials: "same-origin", headers: { Accept: "text/html" } })
      .then(function (answer) { return answer.ok ? answer.text() : null; })
      .then(function (html) { if (html) { swap(html); } })
      .catch(function () { /* offline: the next event or a reload brings the figures */ })
      .then(function () {
        busy = false;
        if (again) {
          again = false;
          refresh();
        }
      });
  }

  function soon() {
    window.clearTimeout(timer);
    timer = window.setTimeout(refresh, WAIT_MS);
  }

  document.addEventListener("spendwise:ledger", soon);
  document.addEventListener("spendwise:notification", soon);
})();
