/**
 * A family's calls and applications. The draft is kept on this device (Dexie's meta table) at every
 * change, so it survives a reload and works offline; sending it needs the connection, and the
 * protocol number and timestamp are the server's. A refused or failed submission keeps the draft.
 */
import { defineStore } from 'pinia'
import { ref, shallowRef } from 'vue'
import { ApplyRequest, type ApplyAnswer, type FamilyCall } from '../../../../shared/office/apply.schema.ts'
import { db } from '../../db/db.ts'
import type { ApplicationDraft } from '../../db/db.types.ts'
import { getMeta, setMeta } from '../../db/meta.ts'
import { useOnlineCommand } from '../../sync/online-command.ts'
import { useAuthStore } from '../auth/auth.store.ts'
import { fetchFamilyCalls, submitApplication } from './apply.api.ts'

export const emptyDraft = (): ApplicationDraft => ({ shiftWorker: false, householdFragility: false, employer: '', isee: '', children: {}, savedAt: '' })

/** Euros as typed (1.234,56 or 1234.56) → cents; '' → undefined; anything else → NaN (refused by the schema). */
export const euroCents = (s: string): number | undefined =>
  s.trim() === '' ? undefined : Math.round(Number(s.trim().replace(/\.(?=\d{3}(\D|$))/g, '').replace(',', '.')) * 100)

export function requestOf(d: ApplicationDraft) {
  return ApplyRequest.safeParse({
    employer: d.employer.trim() || undefined,
    shiftWorker: d.shiftWorker,
    householdFragility: d.householdFragility,
    iseeCents: euroCents(d.isee),
    children: Object.entries(d.children).filter(([, c]) => c.selected).map(([childId, c]) => ({ childId, disability: c.disability, dsa: c.dsa })),
  })
}

export const useApplyStore = defineStore('apply', () => {
  const auth = useAuthStore()
  const calls = shallowRef<FamilyCall[] | null>(null)
  const drafts = ref<Record<string, ApplicationDraft>>({})
  const sent = shallowRef<Record<string, ApplyAnswer>>({})
  const { busy, error, errorDetails, run: online } = useOnlineCommand(auth)
  const fetchFn = (input: string, init?: RequestInit) => fetch(input, init)

  async function loadDrafts() {
    drafts.value = (await getMeta(db, 'applicationDrafts')) ?? {}
  }

  async function saveDraft(callId: string, draft: ApplicationDraft) {
    drafts.value = { ...drafts.value, [callId]: { ...draft, savedAt: new Date().toISOString() } }
    await setMeta(db, 'applicationDrafts', JSON.parse(JSON.stringify(drafts.value)) as Record<string, ApplicationDraft>)
  }

  async function load() {
    await loadDrafts()
    calls.value ??= (await getMeta(db, 'familyCalls')) ?? null
    const answer = await online((token) => fetchFamilyCalls(fetchFn, token))
    if (answer) await keep(answer.calls)
  }

  async function keep(list: FamilyCall[]) {
    calls.value = list
    await setMeta(db, 'familyCalls', JSON.parse(JSON.stringify(list)) as FamilyCall[])
  }

  /** Sends the draft; on success the draft is dropped and the protocol shown. */
  async function submit(callId: string): Promise<boolean> {
    const req = requestOf(drafts.value[callId] ?? emptyDraft())
    if (!req.success) {
      error.value = 'validation'
      return false
    }
    const answer = await online((token) => submitApplication(fetchFn, token, callId, req.data))
    if (!answer) return false
    sent.value = { ...sent.value, [callId]: answer }
    const { [callId]: _, ...rest } = drafts.value
    drafts.value = rest
    await setMeta(db, 'applicationDrafts', JSON.parse(JSON.stringify(rest)) as Record<string, ApplicationDraft>)
    const fresh = await online((token) => fetchFamilyCalls(fetchFn, token))
    if (fresh) await keep(fresh.calls)
    return true
  }

  return { calls, drafts, sent, busy, error, errorDetails, load, saveDraft, submit }
})
