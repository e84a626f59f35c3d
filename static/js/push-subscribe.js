/* Subscribes this browser to Web Push and registers it as a channel (POST /api/v1/notification-channels/). */
(function () {
  const button = document.getElementById("push-subscribe");
  const status = document.getElementById("push-status");
  if (!button) return;
  const say = (text) => { status.textContent = text; };
  const csrf = () => (document.cookie.match(/(?:^|; )csrftoken=([^;]+)/) || [])[1] || "";
  const keyBytes = (base64) => {
    const padded = (base64 + "===".slice((base64.length + 3) % 4)).replace(/-/g, "+").replace(/_/g, "/");
    return Uint8Array.from(atob(padded), (c) => c.charCodeAt(0));
  };
  button.addEventListener("click", async () => {
    if (!("serviceWorker" in navigator) || !("PushManager" in window)) { say("This browser does not support push notifications."); return; }
    try {
      const key = await (await fetch(button.dataset.keyUrl, { credentials: "same-origin" })).json();
      if (!key.enabled) { say(key.detail); return; }
      const registration = await navigator.serviceWorker.register(button.dataset.worker);
      const subscription = (await registration.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: keyBytes(key.public_key) })).toJSON();
      const response = await fetch(button.dataset.channelsUrl, {
        method: "POST", credentials: "same-origin",
        headers: { "Content-Type": "application/json", "X-CSRFToken": csrf() },
        body: JSON.stringify({ kind: "push", target: subscription.endpoint, keys: subscription.keys }),
      });
      say(response.ok ? "Push is on for this browser." : "This browser is already subscribed, or the subscription was refused.");
      if (response.ok) window.setTimeout(() => window.location.reload(), 800);
    } catch (error) {
      say("Push could not be enabled: " + error.message);
    }
  });
})();
