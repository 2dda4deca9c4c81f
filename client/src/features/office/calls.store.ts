/**
 * The office's calls: the list, one call's ranking, imports and the assignment. Online only (office
 * commands are server commands, docs/office-commands.md): offline, nothing is sent and the screen
 * says the office needs the connection. Every failure keeps the server's code for describeError.
 */
import { defineStore } from 'pinia'
import { computed, ref, shallowRef } from 'vue'
import type { AssignAnswer, CallSummary, CreateCallRequest, ImportAnswer, RankingAnswer } from '../../../../shared/office/calls.schema.ts'
import type { ReissueCodeAnswer } from '../../../../shared/office/families.schema.ts'
import { useOnlineCommand } from '../../sync/online-command.ts'
import { useAuthStore } from '../auth/auth.store.ts'
import * as api from './calls.api.ts'

export const useCallsStore = defineStore('office-calls', () => {
  const auth = useAuthStore()
  const calls = shallowRef<CallSummary[] | null>(null)
  const ranking = shallowRef<RankingAnswer | null>(null)
  const rankingOf = ref<string | null>(null)
  const lastImport = shallowRef<ImportAnswer | null>(null)
  const lastAssign = shallowRef<AssignAnswer | null>(null)
  const { busy, error, errorDetails, run } = useOnlineCommand(auth)
  const fetchFn = (input: string, init?: RequestInit) => fetch(input, init)

  const current = computed(() => calls.value?.find((c) => c.id === rankingOf.value) ?? null)

  async function loadCalls() {
    const answer = await run((token) => api.listCalls(fetchFn, token))
    if (answer) calls.value = answer.calls
  }

  async function create(req: CreateCallRequest): Promise<string | null> {
    const answer = await run((token) => api.createCall(fetchFn, token, req))
    if (answer) await loadCalls()
    return answer?.id ?? null
  }

  async function open(id: string) {
    if (rankingOf.value !== id) {
      ranking.value = null
      lastImport.value = null
      lastAssign.value = null
    }
    rankingOf.value = id
    if (!calls.value) await loadCalls()
    const answer = await run((token) => api.fetchRanking(fetchFn, token, id))
    if (answer) ranking.value = answer
  }

  async function importFile(id: string, file: File) {
    const answer = await run((token) => api.importFile(fetchFn, token, id, file))
    if (!answer) return
    lastImport.value = answer
    await Promise.all([loadCalls(), open(id)])
  }

  /** The family's new code; the ranking (and so the letter) read again. */
  async function reissue(familyId: string): Promise<ReissueCodeAnswer | null> {
    const answer = await run((token) => api.reissueCode(fetchFn, token, familyId))
    if (answer && rankingOf.value) await open(rankingOf.value)
    return answer
  }

  async function assign(id: string) {
    const answer = await run((token) => api.assignCall(fetchFn, token, id))
    if (!answer) return
    lastAssign.value = answer
    await Promise.all([loadCalls(), open(id)])
  }

  return { calls, ranking, rankingOf, current, lastImport, lastAssign, busy, error, errorDetails, loadCalls, create, open, importFile, assign, reissue }
})
