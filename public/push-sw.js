// Web Push in the service worker (issue 9), imported by the Workbox-generated worker (vite.config.ts):
// show the notification the server sent (a new urgent request for a cooperative, an acceptance for a
// family), and open the app on the right screen when it is tapped.
self.addEventListener('push', (event) => {
  let data = {}
  try {
    data = event.data ? event.data.json() : {}
  } catch {
    data = { title: 'Conciliapp', body: event.data ? event.data.text() : '' }
  }
  event.waitUntil(self.registration.showNotification(data.title || 'Conciliapp', {
    body: data.body || '', tag: data.tag, renotify: true, icon: '/icons/icon-192.png', badge: '/icons/icon-192.png', data: { url: data.url || '/' },
  }))
})

self.addEventListener('notificationclick', (event) => {
  event.notification.close()
  const url = (event.notification.data && event.notification.data.url) || '/'
  event.waitUntil(self.clients.matchAll({ type: 'window', includeUncontrolled: true }).then((open) => {
    const same = open.find((c) => new URL(c.url).origin === self.location.origin)
    if (same) return same.navigate(url).then((c) => (c || same).focus())
    return self.clients.openWindow(url)
  }))
})
