/** Registers the service worker (workbox-window through vite-plugin-pwa) and reports updates to the store. */
import { registerSW } from 'virtual:pwa-register'
import type { usePwaStore } from './pwa.store.ts'

export function registerServiceWorker(pwa: ReturnType<typeof usePwaStore>): void {
  if (!('serviceWorker' in navigator)) return
  const updateSW = registerSW({
    onNeedRefresh: () => {
      pwa.needRefresh = true
    },
    onOfflineReady: () => {
      pwa.offlineReady = true
    },
    onRegisteredSW: (_url, registration) => {
      // Look for a new version now and then (a PWA may stay open for days).
      if (registration) setInterval(() => void registration.update(), 60 * 60 * 1000)
    },
  })
  pwa.setUpdater(updateSW)
}
