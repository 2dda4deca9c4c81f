/**
 * Emergency babysitting on the phone (issue 9). The parent's side: the requests of the family as the
 * derived view has them (a request typed offline is already there, marked not yet sent), the
 * choices of when (shift-shaped), what to prefill from last time, sending and cancelling. The
 * provider's side: open requests it may take, most urgent first, and accepting with an operator.
 * A request the server refused stays visible with its reason (kept in `results` with its args).
 */
import { defineStore } from 'pinia'
import { computed } from 'vue'
import { v7 as uuidv7 } from 'uuid'
// Narrow modules, never the shared/ barrel: the parent's home shows this store's requests, and the
// first screen loads no zod (issue 10).
import { byUrgency, defaultDeadline, emergencyEstimate, shownStatus } from '../../../../shared/emergency/emergency.rules.ts'
import type { EmergencyRequest } from '../../../../shared/emergency/emergency.schema.ts'
import { shiftChoices } from '../../../../shared/emergency/shifts.ts'
import { readEmergencyRequest, stringArg } from '../../../../shared/mutators/arg-readers.ts'
import type { EmergencyRequestArgs } from '../../../../shared/mutators/args.ts'
import type { Refusal } from '../../../../shared/result.ts'
import { compareIso } from '../../../../shared/time.ts'
import type { StoredResult } from '../../db/db.types.ts'
import { TIME_ZONE } from '../../i18n/format.ts'
import { useViewStore } from '../../view/view.store.ts'
import { useAuthStore } from '../auth/auth.store.ts'
import { useSyncStore } from '../sync/sync.store.ts'
import { requestBackgroundPush } from './background-sync.ts'

/** What the family sees of one request: its row, and whether it is still in the outbox. */
export interface FamilyEmergency {
  request: EmergencyRequest
  /** Status as shown: an open request past its deadline is "expired" before the server says so. */
  status: EmergencyRequest['status']
  /** Still on this phone: not yet received by the server. */
  notSent: boolean
  /** The replay of a pending request was refused by the shared rules (the server will probably refuse too). */
  probableRefusal: Refusal | null
}

/** The "tell me by" choices: minutes before the start (0 = the default rule). */
export const DEADLINE_CHOICES = [0, 30, 120] as const

export const useEmergencyStore = defineStore('emergency', () => {
  const view = useViewStore()
  const auth = useAuthStore()
  const sync = useSyncStore()

  const pendingRequests = computed(() => {
    const map = new Map<string, Refusal | null>()
    for (const p of view.pending) {
      const id = p.name.startsWith('emergency.') ? stringArg(p.args, 'requestId') : null
      if (id && p.name === 'emergency.request') map.set(id, p.outcome.ok ? null : p.outcome)
    }
    return map
  })
  const pendingChange = (id: string) => view.pending.some((p) => p.name !== 'emergency.request' && p.name.startsWith('emergency.') && stringArg(p.args, 'requestId') === id)

  /** A pending request the replay refused is not among the derived rows: shown from what the parent asked. */
  function fromArgs(args: EmergencyRequestArgs, createdAt: string): EmergencyRequest {
    const child = view.child(args.childId)
    return {
      id: args.requestId, familyId: auth.actor?.familyId ?? '', childId: args.childId, programId: auth.actor?.programId ?? '',
      territoryId: args.territoryId ?? '', startsAt: args.startsAt, endsAt: args.endsAt, deadlineAt: args.deadlineAt ?? args.startsAt,
      status: 'open', providerId: null, operatorId: null, operatorName: null, acceptedAt: null, address: args.address ?? null, note: args.note ?? null,
      familyName: '', childFirstName: child?.firstName ?? '', childBirthDate: child?.birthDate ?? '', voucherId: '', estimatedCents: 0, heldCents: 0,
      stage: 'territory', usualProviderId: null, usualOperatorId: null, headStartEndsAt: null, seenCount: 0,
      deliveredAt: null, deliveredHours: null, noShow: false, deliveredBy: null, spentCents: null, createdAt, updatedAt: createdAt,
    }
  }

  /** The family's requests, newest first (derived: one typed offline is included, also one the rules will refuse). */
  const family = computed<FamilyEmergency[]>(() => {
    const now = new Date().toISOString()
    const rows = view.emergencyRequests.filter((r) => r.familyId === auth.actor?.familyId)
    const shown = new Set(rows.map((r) => r.id))
    for (const p of view.pending) {
      if (p.name !== 'emergency.request' || p.outcome.ok) continue
      const args = readEmergencyRequest(p.args)
      if (args && !shown.has(args.requestId)) rows.push(fromArgs(args, p.createdAt))
    }
    return rows
      .map((request) => ({
        request,
        status: shownStatus(request, now),
        notSent: pendingRequests.value.has(request.id),
        probableRefusal: pendingRequests.value.get(request.id) ?? null,
      }))
      .sort((a, b) => compareIso(b.request.createdAt, a.request.createdAt))
  })
  /** Requests the server refused, with what the parent asked for (never silently lost). */
  const refused = computed(() => view.results.filter((r) => !r.dismissed && r.name === 'emergency.request')
    .map((r) => ({ result: r, args: readEmergencyRequest(r.args) }))
    .filter((x): x is { result: StoredResult; args: EmergencyRequestArgs } => x.args !== null))
  /** Refusals of accept / cancel / deliver (the race lost, a late cancel, a delivery the server refused). */
  const notices = computed(() => view.results.filter((r) => !r.dismissed && r.name !== 'emergency.request' && r.name?.startsWith('emergency.')))

  const active = computed(() => family.value.filter((f) => f.status === 'open' || f.status === 'accepted'))
  const last = computed(() => family.value[0]?.request ?? null)

  /** Prefill: the address, note and territory of the last request; else the territory of the last booking's provider. */
  const prefill = computed(() => {
    const r = last.value
    const booked = view.bookings.filter((b) => b.familyId === auth.actor?.familyId).sort((a, b) => compareIso(b.createdAt, a.createdAt))[0]
    const territoryId = r?.territoryId ?? (booked ? view.provider(booked.providerId)?.territoryId : undefined) ?? view.territories[0]?.id ?? ''
    return { address: r?.address ?? '', note: r?.note ?? '', territoryId }
  })

  const choices = (now = new Date()) => shiftChoices(now.toISOString(), view.program?.timeZone ?? TIME_ZONE)
  const estimate = (startsAt: string, endsAt: string) =>
    view.program ? emergencyEstimate(view.program, startsAt, endsAt) : null

  /** The deadline for a choice of "tell me by" (minutes before the start; 0 = the default rule), never in the past. */
  function deadlineFor(startsAt: string, endsAt: string, minutesBefore: number, now = new Date()): string {
    if (minutesBefore === 0) return defaultDeadline(startsAt, endsAt, now.toISOString())
    const at = Date.parse(startsAt) - minutesBefore * 60_000
    return new Date(Math.max(at, now.getTime() + 15 * 60_000)).toISOString()
  }

  async function send(a: { childId: string; startsAt: string; endsAt: string; deadlineAt: string; territoryId: string; address: string; note: string }) {
    const requestId = uuidv7()
    await sync.mutate('emergency.request', {
      requestId, childId: a.childId, startsAt: a.startsAt, endsAt: a.endsAt, deadlineAt: a.deadlineAt, territoryId: a.territoryId,
      ...(a.address.trim() ? { address: a.address.trim() } : {}), ...(a.note.trim() ? { note: a.note.trim() } : {}),
    })
    // Offline: hand the push to the service worker's Background Sync queue, so it leaves even if the app is closed.
    if (!sync.online) void requestBackgroundPush(() => sync.syncNow())
    return requestId
  }
  const cancel = (requestId: string) => sync.mutate('emergency.cancel', { requestId })

  // The provider's side.
  const inbox = computed(() => {
    const now = new Date().toISOString()
    return view.emergencyRequests
      .filter((r) => r.status === 'open' && shownStatus(r, now) === 'open' && !r.providerId)
      .sort(byUrgency)
  })
  const taken = computed(() =>
    view.emergencyRequests.filter((r) => r.providerId && r.providerId === auth.actor?.providerId && r.status === 'accepted').sort(byUrgency))
  const onCall = computed(() => (auth.actor?.providerId ? view.operatorsOf(auth.actor.providerId).filter((o) => o.onCall) : []))
  const accept = (requestId: string, operatorId?: string) => sync.mutate('emergency.accept', operatorId ? { requestId, operatorId } : { requestId })

  return { family, refused, notices, active, prefill, choices, estimate, deadlineFor, send, cancel, inbox, taken, onCall, accept, pendingChange }
})
