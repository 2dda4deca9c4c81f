/** The program's monitoring for a period and territory (online only; monitoring.api.ts). */
import { defineStore } from 'pinia'
import { ref, shallowRef } from 'vue'
import type { Territory } from '../../../../shared/catalogue/catalogue.schema.ts'
import type { MonitoringAnswer } from '../../../../shared/office/monitoring.schema.ts'
import { dayIn } from '../../../../shared/time.ts'
import { db } from '../../db/db.ts'
import { TIME_ZONE } from '../../i18n/format.ts'
import { useAuthStore } from '../auth/auth.store.ts'
import { fetchMonitoring, fetchMonitoringCsv } from './monitoring.api.ts'
import { errorKey } from './office.http.ts'

export const useMonitoringStore = defineStore('office-monitoring', () => {
  const auth = useAuthStore()
  const now = new Date()
  const filter = ref({
    from: dayIn(new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 2, 1, 12)), TIME_ZONE),
    to: dayIn(now, TIME_ZONE),
    territoryId: null as string | null,
  })
  const territories = shallowRef<Territory[]>([])
  const answer = shallowRef<MonitoringAnswer | null>(null)
  const loading = ref(false)
  const error = ref<string | null>(null)
  const fetchFn = (input: string, init?: RequestInit) => fetch(input, init)

  async function load() {
    territories.value = (await db.mirror('territory').toArray()).sort((a, b) => a.name.localeCompare(b.name, 'it'))
    if (typeof navigator !== 'undefined' && !navigator.onLine) {
      error.value = 'offline'
      return
    }
    await auth.ready()
    const token = auth.auth?.token
    if (!token) return
    loading.value = true
    error.value = null
    try {
      answer.value = await fetchMonitoring(fetchFn, token, { ...filter.value })
    } catch (e) {
      answer.value = null
      error.value = errorKey(e)
    } finally {
      loading.value = false
    }
  }

  /** The CSV of what is on screen, fetched when asked (the same figures computed again by the server). */
  async function downloadCsv() {
    const token = auth.auth?.token
    const a = answer.value
    if (!token || !a || typeof document === 'undefined') return
    try {
      const blob = await fetchMonitoringCsv(fetchFn, token, { from: a.from, to: a.to, territoryId: a.territoryId })
      const href = URL.createObjectURL(blob)
      const link = Object.assign(document.createElement('a'), { href, download: `monitoraggio_${a.from}_${a.to}.csv` })
      document.body.append(link)
      link.click()
      link.remove()
      setTimeout(() => URL.revokeObjectURL(href), 10_000)
    } catch (e) {
      error.value = errorKey(e)
    }
  }

  return { filter, territories, answer, loading, error, load, downloadCsv }
})
