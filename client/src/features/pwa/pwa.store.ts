/**
 * A new version of the app is ready (service worker waiting). Updating reloads the page; we wait until
 * the outbox is empty so the mutations typed with this version are sent by this version first.
 */
import { defineStore } from 'pinia'
import { computed, ref, shallowRef, watch } from 'vue'
import { useSyncStore } from '../sync/sync.store.ts'

export const usePwaStore = defineStore('pwa', () => {
  const sync = useSyncStore()
  const needRefresh = ref(false)
  const offlineReady = ref(false)
  /** The user asked to update while requests were waiting: update as soon as the outbox drains. */
  const deferred = ref(false)
  const updater = shallowRef<((reload?: boolean) => Promise<void>) | null>(null)
  const canUpdate = computed(() => sync.pending === 0)

  function setUpdater(fn: (reload?: boolean) => Promise<void>) {
    updater.value = fn
  }

  async function update() {
    if (!canUpdate.value) {
      deferred.value = true
      return
    }
    await updater.value?.(true)
  }

  watch(canUpdate, (ok) => {
    if (ok && deferred.value && needRefresh.value) void updater.value?.(true)
  })

  return { needRefresh, offlineReady, deferred, canUpdate, setUpdater, update }
})
