/** The coordinator's staff: the list (derived), add/edit (operator.upsert, offline too), codes (online). */
import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import { v7 as uuidv7 } from 'uuid'
import type { Operator } from '../../../../shared/index.ts'
import { useViewStore } from '../../view/view.store.ts'
import { useAuthStore } from '../auth/auth.store.ts'
import { useSyncStore } from '../sync/sync.store.ts'
import { issueOperatorCode, revokeOperatorCode } from './operators.api.ts'

/** `phone`: '' removes it (operator.upsert). */
export type OperatorDraft = Omit<Operator, 'id' | 'providerId' | 'phone'> & { phone: string }

export const useOperatorsStore = defineStore('operators', () => {
  const view = useViewStore()
  const auth = useAuthStore()
  const sync = useSyncStore()
  const list = computed(() => (auth.actor?.providerId ? view.operatorsOf(auth.actor.providerId) : []).sort((a, b) => a.name.localeCompare(b.name, 'it')))
  /** The code just issued, shown once (per operator), and the last failure. */
  const issued = ref<{ operatorId: string; code: string } | null>(null)
  const failure = ref<string | null>(null)
  const busy = ref<string | null>(null)

  const save = (draft: OperatorDraft, operatorId: string = uuidv7()) => sync.mutate('operator.upsert', { operatorId, ...draft })

  async function online<T>(operatorId: string, fn: (token: string) => Promise<T>): Promise<T | null> {
    const token = auth.auth?.token
    if (!token || busy.value) return null
    busy.value = operatorId
    failure.value = null
    try {
      return await fn(token)
    } catch (e) {
      failure.value = e instanceof Error && 'code' in e ? String((e as { code: unknown }).code) : 'network'
      return null
    } finally {
      busy.value = null
    }
  }
  async function issue(operatorId: string) {
    const code = await online(operatorId, (token) => issueOperatorCode(fetch, token, operatorId))
    if (code) issued.value = { operatorId, code }
  }
  async function revoke(operatorId: string) {
    const n = await online(operatorId, (token) => revokeOperatorCode(fetch, token, operatorId))
    if (n !== null && issued.value?.operatorId === operatorId) issued.value = null
    return n
  }

  return { list, issued, failure, busy, save, issue, revoke }
})
