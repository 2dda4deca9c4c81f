/**
 * The family's children (issue 10): add one, correct a name or a note (allergies), and the birth date:
 * the family's own while no voucher decides eligibility, the office's after (asked here with
 * `child.requestBirthDate`, approved by an officer). Everything goes through the outbox, so it works
 * offline and shows at once (the derived view replays it); a refusal stays on the child's page with
 * its reason until dismissed. Every change is in the child's history (pulled `childChange` rows, plus
 * the pending ones, marked "not sent yet").
 */
import { defineStore } from 'pinia'
import { v7 as uuidv7 } from 'uuid'
import { computed } from 'vue'
import { ChildRequestBirthDateArgs, ChildUpsertArgs, type BirthDateRequest, type ChildChange } from '../../../../shared/index.ts'
import { db } from '../../db/db.ts'
import { useViewStore } from '../../view/view.store.ts'
import { useSyncStore } from '../sync/sync.store.ts'

export interface ChildForm {
  firstName: string
  birthDate: string
  note: string
}

export interface ChildRefusal {
  resultKey: string
  code: string
  details: Record<string, unknown>
  /** What was typed, so nothing is lost: the form can be filled with it again. */
  form: ChildForm | null
  kind: 'upsert' | 'birthDate'
}

export const useChildrenStore = defineStore('children', () => {
  const view = useViewStore()
  const sync = useSyncStore()

  const hasVoucher = (childId: string) => view.voucherOfChild(childId) !== null
  const pendingChanges = computed(() => {
    const ids = new Set<string>()
    for (const p of view.pending) {
      if (p.name === 'child.upsert' || p.name === 'child.requestBirthDate') {
        const childId = (p.args as { childId?: unknown }).childId
        if (typeof childId === 'string') ids.add(childId)
      }
    }
    return ids
  })
  const pendingIds = computed(() => {
    const ids = new Set<string>()
    for (const p of view.pending) {
      const a = p.args as { changeId?: unknown; requestId?: unknown }
      if (p.name === 'child.upsert' && typeof a.changeId === 'string') ids.add(a.changeId)
      if (p.name === 'child.requestBirthDate' && typeof a.requestId === 'string') ids.add(a.requestId)
    }
    return ids
  })
  /** Not sent yet: the change's id starts with a pending mutation's changeId. */
  const isPending = (h: ChildChange) => [...pendingIds.value].some((id) => h.id.startsWith(`${id}_`))

  const historyOf = (childId: string): ChildChange[] => view.childChanges.filter((h) => h.childId === childId).reverse()
  const requestsOf = (childId: string): BirthDateRequest[] => view.birthDateRequests.filter((r) => r.childId === childId).reverse()
  const pendingRequest = (childId: string) => view.birthDateRequests.find((r) => r.childId === childId && r.status === 'pending') ?? null
  const requestIsSent = (r: BirthDateRequest) => !pendingIds.value.has(r.id)

  const refusalsOf = (childId: string): ChildRefusal[] =>
    view.results.flatMap((r) => {
      if (r.dismissed || (r.name !== 'child.upsert' && r.name !== 'child.requestBirthDate')) return []
      const a = r.args as { childId?: unknown; firstName?: unknown; birthDate?: unknown; note?: unknown }
      if (a.childId !== childId) return []
      const form = r.name === 'child.upsert'
        ? { firstName: String(a.firstName ?? ''), birthDate: String(a.birthDate ?? ''), note: typeof a.note === 'string' ? a.note : '' }
        : null
      return [{ resultKey: r.key, code: r.code, details: r.details ?? {}, form, kind: r.name === 'child.upsert' ? 'upsert' as const : 'birthDate' as const }]
    })

  /** Validates and queues; returns the issues' fields when the form is not valid (nothing queued). */
  async function save(childId: string | null, form: ChildForm): Promise<{ ok: true; childId: string } | { ok: false; fields: string[] }> {
    const id = childId ?? uuidv7()
    const existing = childId ? view.child(childId) : null
    const args = {
      childId: id, firstName: form.firstName.trim(), birthDate: form.birthDate, note: form.note.trim() || (existing?.note ? null : undefined),
      changeId: uuidv7(),
    }
    const parsed = ChildUpsertArgs.safeParse(args)
    if (!parsed.success) return { ok: false, fields: [...new Set(parsed.error.issues.map((i) => String(i.path[0])))] }
    await sync.mutate('child.upsert', parsed.data)
    return { ok: true, childId: id }
  }

  async function requestBirthDate(childId: string, birthDate: string): Promise<boolean> {
    const parsed = ChildRequestBirthDateArgs.safeParse({ requestId: uuidv7(), childId, birthDate })
    if (!parsed.success) return false
    await sync.mutate('child.requestBirthDate', parsed.data)
    return true
  }

  const dismiss = (resultKey: string) => db.results.update(resultKey, { dismissed: 1 })

  return { hasVoucher, pendingChanges, isPending, historyOf, requestsOf, pendingRequest, requestIsSent, refusalsOf, save, requestBirthDate, dismiss }
})
