/** The officer's liquidation report for a date range; needs the network (nothing is mirrored for it). */
import { defineStore } from 'pinia'
import { ref, shallowRef } from 'vue'
import type { LiquidationReport } from '../../../../shared/office/office.schema.ts'
import { SyncHttpError } from '../../sync/http.ts'
import { useAuthStore } from '../auth/auth.store.ts'
import { fetchLiquidation, fetchLiquidationCsv } from './office.api.ts'

const romeDate = (d: Date) => new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Rome' }).format(d)

export const useOfficeStore = defineStore('office', () => {
  const auth = useAuthStore()
  const today = new Date()
  const from = ref(romeDate(new Date(today.getFullYear(), today.getMonth(), 1, 12)))
  const to = ref(romeDate(today))
  const report = shallowRef<LiquidationReport | null>(null)
  const csvUrl = ref<string | null>(null)
  const loading = ref(false)
  /** 'offline' | an error code (describeError words it). */
  const error = ref<string | null>(null)
  const fetchFn = (input: string, init?: RequestInit) => fetch(input, init)

  async function load() {
    if (typeof navigator !== 'undefined' && !navigator.onLine) {
      error.value = 'offline'
      return
    }
    const token = auth.auth?.token
    if (!token) return
    loading.value = true
    error.value = null
    try {
      const [json, csv] = await Promise.all([
        fetchLiquidation(fetchFn, token, from.value, to.value),
        fetchLiquidationCsv(fetchFn, token, from.value, to.value),
      ])
      report.value = json
      if (csvUrl.value) URL.revokeObjectURL(csvUrl.value)
      csvUrl.value = URL.createObjectURL(csv)
    } catch (e) {
      report.value = null
      error.value = e instanceof SyncHttpError ? (e.kind === 'network' ? 'offline' : e.code) : 'internal'
    } finally {
      loading.value = false
    }
  }

  return { from, to, report, csvUrl, loading, error, load }
})
