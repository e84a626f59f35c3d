/* Spendwise service worker: shows Web Push alerts and opens the notification centre on click. */
self.addEventListener("push", (event) => {
  let message = { title: "Spendwise", body: "", url: "/notifications/" };
  try { message = Object.assign(message, event.data ? event.data.json() : {}); } catch (e) { message.body = event.data ? event.data.text() : ""; }
  event.waitUntil(self.registration.showNotification(message.title, { body: message.body, data: { url: message.url } }));
});

self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  event.waitUntil(self.clients.openWindow((event.notification.data && event.notification.data.url) || "/notifications/"));
});
