/* Live notifications: keeps the bell counter current and shows a toast for each new
   notification pushed on /ws/notifications/ (see README, "Real-time notifications").
   Reconnects after a drop with backoff (1 s, 2 s, 4 s ... 30 s at most). No library. */
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
  var PING_MS = 5 * 60 * 1000; /* renews the server's group membership and keeps proxies from idling us out */
  var CLOSE_UNAUTHENTICATED = 4401;
  var delay = FIRST_DELAY;
  var status = null;

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

  function handle(event) {
    if (event.type === "unread_count") {
      setCount(event.count);
    } else if (event.type === "notification" && event.notification) {
      if (!event.notification.read_at) {
        setCount(currentCount() + 1);
      }
      showToast(event.notification);
      /* pages (e.g. the notification centre) may listen and add the row live */
      document.dispatchEvent(new CustomEvent("spendwise:notification", { detail: event.notification }));
    }
  }

  function connect() {
    var socket = new WebSocket(socketUrl());
    var pinger = null;
    socket.addEventListener("open", function () {
      delay = FIRST_DELAY;
      setLive("open");
      showStatus("");
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
