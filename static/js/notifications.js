/* Live notifications: keeps the bell counter current and shows a toast for each new
   notification pushed on /ws/notifications/ (docs/pages.md, "Live updates").
   Reconnects after a drop with backoff (1 s, 2 s, 4 s ... 30 s at most). No library.

   The page that caused an alert shows it too: a form post reloads the page, and an alert
   pushed while no socket was open would be lost to this tab. So each tab remembers the
   newest notification it has seen (sessionStorage; a toast counts as seen once it has been
   up for a moment), and on every (re)connect asks the API for unread ones newer than that
   and toasts them, once each. */
(function () {
  "use strict";

  var bell = document.getElementById("bell");
  var counter = document.getElementById("bell-count");
  var toasts = document.getElementById("toasts");
  if (!counter || !toasts || !("WebSocket" in window)) {
    return;
  }

  var FIRST_DELAY = 1000;
  var MAX_DELAY = 30000;
  var TOAST_MS = 10000;
  var SEEN_AFTER_MS = 2000;
  var PING_MS = 5 * 60 * 1000; /* renews the server's group membership and keeps proxies from idling us out */
  var CLOSE_UNAUTHENTICATED = 4401;
  var SEEN_KEY = "spendwise:newest-seen-notification";
  var CATCH_UP_URL = "/api/v1/notifications/?unread=true&page_size=20";
  var delay = FIRST_DELAY;
  var status = null;
  var toasted = {};

  function newestSeen() {
    /* null on this tab's first page (nothing remembered yet) */
    try {
      var stored = window.sessionStorage.getItem(SEEN_KEY);
      return stored === null ? null : parseInt(stored, 10) || 0;
    } catch (err) {
      return null; /* storage blocked: no catch-up, pushes still work */
    }
  }

  function markSeen(id) {
    try {
      var seen = newestSeen();
      if (seen === null || id > seen) {
        window.sessionStorage.setItem(SEEN_KEY, String(id));
      }
    } catch (err) {
      /* storage blocked */
    }
  }

  function socketUrl() {
    var scheme = window.location.protocol === "https:" ? "wss://" : "ws://";
    return scheme + window.location.host + "/ws/notifications/";
  }

  function setCount(count) {
    var n = Math.max(0, parseInt(count, 10) || 0);
    counter.textContent = String(n);
    counter.setAttribute("data-count", String(n));
    if (bell) {
      bell.setAttribute("aria-label", "Notifications, " + n + " unread");
    }
  }

  function currentCount() {
    return parseInt(counter.getAttribute("data-count"), 10) || 0;
  }

  function setLive(state) {
    /* "open" or "closed": lets styles (and tests) tell whether live updates are flowing */
    counter.setAttribute("data-live", state);
  }

  function showStatus(text) {
    if (!status) {
      status = document.createElement("span");
      status.className = "live-status";
      status.setAttribute("role", "status");
      counter.parentNode.parentNode.appendChild(status);
    }
    status.textContent = text;
    status.hidden = !text;
  }

  function element(tag, className, text) {
    var node = document.createElement(tag);
    node.className = className;
    if (text) {
      node.textContent = text; /* never innerHTML: titles and bodies carry user text */
    }
    return node;
  }

  function showToast(notification) {
    if (notification.id) {
      if (toasted[notification.id]) {
        return;
      }
      toasted[notification.id] = true;
      /* Seen once it had time to be read: a toast cut short by the page unloading (the post
         that caused it redirecting) is shown again by the next page's catch-up. */
      window.setTimeout(function () { markSeen(notification.id); }, SEEN_AFTER_MS);
    }
    var toast = element("div", "toast toast-" + (notification.severity || "info"));
    toast.appendChild(element("strong", "toast-title", notification.title || "New notification"));
    if (notification.body) {
      toast.appendChild(element("p", "toast-body", notification.body));
    }
    var link = element("a", "toast-link", "Open notifications");
    link.href = "/notifications/";
    toast.appendChild(link);
    var dismiss = element("button", "toast-close", "×");
    dismiss.type = "button";
    dismiss.setAttribute("aria-label", "Dismiss");
    dismiss.addEventListener("click", function () { toast.remove(); });
    toast.appendChild(dismiss);
    toasts.appendChild(toast);
    window.setTimeout(function () { toast.remove(); }, TOAST_MS);
  }

  function announce(notification) {
    showToast(notification);
    /* pages (the dashboard, the notification centre) listen and show it live */
    document.dispatchEvent(new CustomEvent("spendwise:notification", { detail: notification }));
  }

  function handle(event) {
    if (event.type === "unread_count") {
      setCount(event.count);
    } else if (event.type === "notification" && event.notification) {
      if (toasted[event.notification.id]) {
        return; /* already shown by the catch-up */
      }
      if (!event.notification.read_at) {
        setCount(currentCount() + 1);
      }
      announce(event.notification);
    } else if (event.type === "ledger_changed") {
      document.dispatchEvent(new CustomEvent("spendwise:ledger", { detail: { months: event.months || [] } }));
    }
  }

  function catchUp() {
    var seen = newestSeen();
    window.fetch(CATCH_UP_URL, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (answer) { return answer.ok ? answer.json() : null; })
      .then(function (page) {
        if (!page || !page.results) {
          return;
        }
        var newest = page.results.reduce(function (top, n) { return Math.max(top, n.id); }, 0);
        if (seen === null) {
          markSeen(newest); /* this tab's first page: what is already unread is counted on the bell */
          return;
        }
        page.results.filter(function (n) { return n.id > seen && !toasted[n.id]; })
          .sort(function (a, b) { return a.id - b.id; })
          .forEach(announce);
      })
      .catch(function () { /* offline: the bell still counts them */ });
  }

  function connect() {
    var socket = new WebSocket(socketUrl());
    var pinger = null;
    socket.addEventListener("open", function () {
      delay = FIRST_DELAY;
      setLive("open");
      showStatus("");
      catchUp();
      pinger = window.setInterval(function () {
        socket.send(JSON.stringify({ type: "ping" }));
      }, PING_MS);
    });
    socket.addEventListener("message", function (message) {
      try {
        handle(JSON.parse(message.data));
      } catch (err) {
        /* a malformed frame must not stop the next ones */
      }
    });
    socket.addEventListener("close", function (closed) {
      window.clearInterval(pinger);
      setLive("closed");
      if (closed.code === CLOSE_UNAUTHENTICATED) {
        showStatus("");
        return; /* logged out elsewhere: retrying cannot help */
      }
      showStatus("reconnecting…");
      window.setTimeout(connect, delay + Math.floor(Math.random() * 250));
      delay = Math.min(delay * 2, MAX_DELAY);
    });
  }

  connect();
})();
