/**
 * The audit log's screen (issue 11). Online only. `load` starts over for a filter (the screen's URL
 * query); `more` appends the next older page with the `before` cursor the last page gave. An answer
 * for a filter that is no longer the current one (the officer changed it meanwhile) is dropped.
 */
import { defineStore } from 'pinia'
import { ref, shallowRef } from 'vue'
import type { AuditEntry } from '../../../../shared/office/audit.schema.ts'
import type { ProviderEntry } from '../../../../shared/office/program.schema.ts'
import { useOnlineCommand } from '../../sync/online-command.ts'
import { useAuthStore } from '../auth/auth.store.ts'
import * as api from './audit.api.ts'
import { fetchProviders } from './program.api.ts'

export const PAGE = 50

export const useAuditStore = defineStore('office-audit', () => {
  const auth = useAuthStore()
  const entries = shallowRef<AuditEntry[] | null>(null)
  /** The cursor of the next (older) page; null: no more. */
  const before = ref<number | null>(null)
  /** Provider names by id (the details name providers by id), read once; missing: the id is shown. */
  const providers = shallowRef<Map<string, string>>(new Map())
  const { busy, error, errorDetails, run } = useOnlineCommand(auth)
  const fetchFn = (input: string, init?: RequestInit) => fetch(input, init)
  let current = ''

  async function load(filter: api.AuditFilter) {
    const key = JSON.stringify(filter)
    current = key
    entries.value = null
    before.value = null
    const answer = await run((token) => api.fetchAudit(fetchFn, token, filter, null, PAGE))
    if (current !== key || !answer) return
    entries.value = answer.entries
    before.value = answer.before
    const named = filter.entity === 'provider' || answer.entries.some((e) => typeof e.details.providerId === 'string' || e.entity === 'provider')
    if (providers.value.size === 0 && named) void loadProviders()
  }
  async function more(filter: api.AuditFilter) {
    const key = JSON.stringify(filter)
    if (before.value === null || key !== current) return
    const answer = await run((token) => api.fetchAudit(fetchFn, token, filter, before.value, PAGE))
    if (current !== key || !answer) return
    entries.value = [...(entries.value ?? []), ...answer.entries]
    before.value = answer.before
  }
  async function loadProviders() {
    await auth.ready()
    const token = auth.auth?.token
    if (!token) return
    try {
      const answer = await fetchProviders(fetchFn, token)
      providers.value = new Map(answer.providers.map((p: ProviderEntry) => [p.id, p.name]))
    } catch {
      // The names are a courtesy: without them the log shows the providers' ids.
    }
  }
  return { entries, before, providers, busy, error, errorDetails, load, more }
})
