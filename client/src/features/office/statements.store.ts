/**
 * The office's reimbursement statements: prepare one per provider and period, open it, approve it
 * (another officer), mark it paid, download its spreadsheet. Online only; every answer comes from the
 * server (statements.api.ts). Providers for the form come from the device's mirror (the program space).
 */
import { defineStore } from 'pinia'
import { ref, shallowRef } from 'vue'
import type { Provider } from '../../../../shared/catalogue/catalogue.schema.ts'
import type { Statement, StatementSummary } from '../../../../shared/office/statements.schema.ts'
import { db } from '../../db/db.ts'
import { SyncHttpError } from '../../sync/http.ts'
import { useAuthStore } from '../auth/auth.store.ts'
import { errorKey } from './office.http.ts'
import * as api from './statements.api.ts'

const romeDate = (d: Date) => new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Rome' }).format(d)

/** The previous calendar month: what a statement usually covers. */
function lastMonth(now = new Date()): { from: string; to: string } {
  const first = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1, 12))
  const last = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 0, 12))
  return { from: romeDate(first), to: romeDate(last) }
}

export interface OfficeFailure {
  key: string
  reason?: string
}

export const useStatementsStore = defineStore('office-statements', () => {
  const auth = useAuthStore()
  const providers = shallowRef<Provider[]>([])
  const list = shallowRef<StatementSummary[]>([])
  const current = shallowRef<Statement | null>(null)
  const form = ref({ providerId: '', ...lastMonth() })
  const loading = ref(false)
  const busy = ref(false)
  const error = ref<OfficeFailure | null>(null)
  const fetchFn = (input: string, init?: RequestInit) => fetch(input, init)

  const failure = (e: unknown): OfficeFailure => {
    const reason = e instanceof SyncHttpError ? (e.details as { reason?: unknown } | undefined)?.reason : undefined
    return { key: errorKey(e), reason: typeof reason === 'string' ? reason : undefined }
  }

  /** Runs one request with the token; a failure is kept for the screen to word. */
  async function run<T>(fn: (token: string) => Promise<T>, flag = busy): Promise<T | null> {
    await auth.ready()
    const token = auth.auth?.token
    if (!token) return null
    if (typeof navigator !== 'undefined' && !navigator.onLine) {
      error.value = { key: 'offline' }
      return null
    }
    flag.value = true
    error.value = null
    try {
      return await fn(token)
    } catch (e) {
      error.value = failure(e)
      return null
    } finally {
      flag.value = false
    }
  }

  async function load() {
    providers.value = (await db.mirror('provider').toArray()).sort((a, b) => a.name.localeCompare(b.name, 'it'))
    if (!form.value.providerId) form.value.providerId = providers.value[0]?.id ?? ''
    const got = await run((t) => api.listStatements(fetchFn, t), loading)
    if (got) list.value = got
  }

  const replace = (s: Statement) => {
    current.value = s
    const { rows: _rows, ...head } = s
    list.value = [head, ...list.value.filter((x) => x.id !== s.id)].sort((a, b) => (a.preparedAt < b.preparedAt ? 1 : -1))
  }

  async function prepare() {
    const s = await run((t) => api.createStatement(fetchFn, t, { ...form.value }))
    if (s) replace(s)
  }

  async function open(id: string) {
    const s = await run((t) => api.getStatement(fetchFn, t, id))
    if (s) current.value = s
  }

  async function approve(id: string) {
    const s = await run((t) => api.approveStatement(fetchFn, t, id))
    if (s) replace(s)
  }

  async function pay(id: string, paidAt: string, reference: string) {
    const s = await run((t) => api.payStatement(fetchFn, t, id, { paidAt, reference }))
    if (s) replace(s)
    return s !== null
  }

  /** Fetches the file and hands it to the browser as a download. */
  async function download(s: StatementSummary, format: 'xlsx' | 'csv') {
    const blob = await run((t) => api.exportStatement(fetchFn, t, s.id, format))
    if (!blob || typeof document === 'undefined') return
    const href = URL.createObjectURL(blob)
    const a = Object.assign(document.createElement('a'), { href, download: `rendiconto_${s.providerId.replace(/^prv-/, '')}_${s.from}_${s.to}.${format}` })
    document.body.append(a)
    a.click()
    a.remove()
    setTimeout(() => URL.revokeObjectURL(href), 10_000)
  }

  return { providers, list, current, form, loading, busy, error, load, prepare, open, approve, pay, download }
})
