/**
 * Web Push notifications (issue 9), with the `web-push` library: a new emergency request to the
 * cooperatives that may take it (their coordinators' subscribed devices) and to the operators who may
 * go (their own devices: the same rule as the sync spaces, and on-call windows covering the request),
 * an acceptance to the family.
 * Sent after the push that caused them has committed, never holding it up; a failure is logged (a
 * subscription the push service says is gone, 404/410, is deleted). The words stay short and carry no
 * address, note or surname: a notification shows on a locked screen.
 *
 * A subscription belongs to the device (token) that registered it (migration 0021): whom it is for is
 * read through the token's activation code, and only devices whose token and code are both live are
 * pushed (`LIVE_DEVICES`: the test `authenticateHash` applies to a request). So an old phone whose code
 * was replaced, a device signed out or revoked, is never pushed, whoever else still holds a live code.
 */
import type { Agent } from 'node:https'
import webpush from 'web-push'
import { ENTITIES, type Row } from '../../../../shared/entities/registry.ts'
import { onCallFor } from '../../../../shared/provider/operators.rules.ts'
import type { Db } from '../../db/db.ts'
import { spacesOf } from '../sync/spaces.ts'
import type { VapidKeys } from './vapid.ts'

export interface Subscription {
  endpoint: string
  p256dh: string
  auth: string
}

export interface Notification {
  title: string
  body: string
  url: string
  tag: string
}

interface RequestRow {
  id: string
  familyId: string
  programId: string
  territoryId: string
  status: string
  stage: string
  usualProviderId: string | null
  usualOperatorId: string | null
  operatorId: string | null
  timeZone: string
  providerId: string | null
  operatorName: string | null
  childFirstName: string
  startsAt: string
  endsAt: string
  deadlineAt: string
  territory: string
  provider: string | null
}

const time = new Intl.DateTimeFormat('it-IT', { timeZone: 'Europe/Rome', hour: '2-digit', minute: '2-digit' })
const day = new Intl.DateTimeFormat('it-IT', { timeZone: 'Europe/Rome', weekday: 'short', day: 'numeric', month: 'short' })
const hm = (iso: string) => time.format(new Date(iso))

/**
 * The subscriptions `s` whose device may be pushed now, with its token `t` and the token's code `c`:
 * both live and unexpired, a demo code only in demo mode. Its parameters: $1 now, $2 demo mode.
 */
const LIVE_DEVICES = `push_subscriptions s
  JOIN tokens t ON t.token_hash = s.token_hash AND t.revoked_at IS NULL AND t.expires_at > $1
  JOIN activation_codes c ON c.id = t.code_id AND c.revoked_at IS NULL AND (NOT c.demo OR $2)`

/** `agent`: how to reach push services (tests: one trusting their local endpoint's certificate). */
export function createWebPush(
  deps: { db: Db; clock: { now(): Date }; demo?: boolean; log?: (line: string) => void }, keys: VapidKeys, opts: { agent?: Agent } = {},
) {
  const log = deps.log ?? ((line: string) => console.error(line))
  /** LIVE_DEVICES' parameters. */
  const live = () => [deps.clock.now().toISOString(), deps.demo ?? false] as const

  async function requestRow(id: string): Promise<RequestRow | undefined> {
    const [row] = await deps.db.query<RequestRow>(
      `SELECT e.id, e.family_id AS "familyId", e.program_id AS "programId", e.territory_id AS "territoryId", e.status, e.stage,
         e.usual_provider_id AS "usualProviderId", e.usual_operator_id AS "usualOperatorId", e.operator_id AS "operatorId", e.provider_id AS "providerId", e.operator_name AS "operatorName",
         e.child_first_name AS "childFirstName", e.starts_at AS "startsAt", e.ends_at AS "endsAt", e.deadline_at AS "deadlineAt",
         t.name AS territory, p.name AS provider, g.time_zone AS "timeZone"
       FROM emergency_requests e JOIN territories t ON t.id = e.territory_id JOIN programs g ON g.id = e.program_id LEFT JOIN providers p ON p.id = e.provider_id
       WHERE e.id = $1`, [id])
    return row && { ...row, startsAt: new Date(row.startsAt).toISOString(), endsAt: new Date(row.endsAt).toISOString(), deadlineAt: new Date(row.deadlineAt).toISOString() }
  }

  async function send(subs: Subscription[], n: Notification): Promise<number> {
    const payload = JSON.stringify(n)
    const sent = await Promise.all(subs.map(async (s) => {
      try {
        await webpush.sendNotification({ endpoint: s.endpoint, keys: { p256dh: s.p256dh, auth: s.auth } }, payload, {
          vapidDetails: keys, TTL: 3600, urgency: 'high', timeout: 10_000, ...(opts.agent ? { agent: opts.agent } : {}),
        })
        return 1
      } catch (e) {
        const status = (e as { statusCode?: number }).statusCode
        if (status === 404 || status === 410) await deps.db.query('DELETE FROM push_subscriptions WHERE endpoint = $1', [s.endpoint])
        else log(`web push failed: ${status ?? (e instanceof Error ? e.name : 'error')}`)
        return 0
      }
    }))
    return sent.reduce<number>((a, b) => a + b, 0)
  }

  /**
   * The operators' devices a request open now goes to: those whose token receives it through the sync
   * spaces (the registry's spaces of the request against `spacesOf` the operator: the family's usual
   * operator during the head start, then the territory's operators on call of cooperatives that may take
   * it), and who may go (`onCallFor`: on call, windows covering the whole request, as the accept rule).
   * The SQL only narrows the candidates (the usual operator, or on call in the request's territory),
   * each a device registered under the operator's own live code (LIVE_DEVICES): a phone whose code was
   * replaced or revoked, or that signed out, is not pushed.
   */
  async function operatorSubscriptions(r: RequestRow): Promise<Subscription[]> {
    const spaces = new Set(ENTITIES.emergencyRequest.spaces(r as unknown as Row<'emergencyRequest'>))
    const candidates = await deps.db.query<Subscription & { operatorId: string; providerId: string; onCall: boolean; onCallWindows: string }>(
      `SELECT s.endpoint, s.p256dh, s.auth, o.id AS "operatorId", o.provider_id AS "providerId", o.on_call AS "onCall", o.on_call_windows AS "onCallWindows"
       FROM ${LIVE_DEVICES} JOIN operators o ON o.id = c.operator_id JOIN providers p ON p.id = o.provider_id
       WHERE c.role = 'operator' AND c.program_id = $3 AND p.program_id = $3 AND (o.id = $4 OR (o.on_call AND p.territory_id = $5))
       ORDER BY s.endpoint`,
      [...live(), r.programId, r.usualOperatorId, r.territoryId])
    // An operator with several devices is asked about once (spacesOf reads the database).
    const receives = new Map<string, boolean>()
    const out: Subscription[] = []
    for (const c of candidates) {
      if (!onCallFor(c, r, r.timeZone)) continue
      if (!receives.has(c.operatorId)) {
        const sees = await spacesOf(deps.db, { role: 'operator', programId: r.programId, familyId: null, providerId: c.providerId, operatorId: c.operatorId })
        receives.set(c.operatorId, sees.some((x) => spaces.has(x)))
      }
      if (receives.get(c.operatorId)) out.push({ endpoint: c.endpoint, p256dh: c.p256dh, auth: c.auth })
    }
    return out
  }

  /**
   * A request open to cooperatives: its usual one during the head start, then every eligible one of the
   * territory (their coordinators' devices, under a live cooperative code); and to the operators who may
   * go (`operatorSubscriptions`).
   */
  async function requestOpened(requestId: string): Promise<number> {
    const r = await requestRow(requestId)
    if (!r || r.status !== 'open') return 0
    const coordinators = await deps.db.query<Subscription>(
      `SELECT s.endpoint, s.p256dh, s.auth FROM ${LIVE_DEVICES} JOIN providers p ON p.id = c.provider_id
       WHERE c.role = 'provider' AND p.program_id = $3 AND (p.id = $4 OR ($5 = 'territory' AND p.territory_id = $6
         AND EXISTS (SELECT 1 FROM operators o WHERE o.provider_id = p.id AND o.on_call)
         AND EXISTS (SELECT 1 FROM sessions x JOIN services v ON v.id = x.service_id WHERE x.provider_id = p.id AND v.category = 'sick-child-babysitting')))
       ORDER BY s.endpoint`,
      [...live(), r.programId, r.usualProviderId, r.stage, r.territoryId])
    const subs = [...coordinators, ...await operatorSubscriptions(r)]
    return send(subs, {
      title: `Richiesta urgente: babysitter per ${r.childFirstName}`,
      body: `${day.format(new Date(r.startsAt))}, ${hm(r.startsAt)}–${hm(r.endsAt)} · ${r.territory}. Risposta entro le ${hm(r.deadlineAt)}.`,
      url: '/inbox', tag: `emergency-${r.id}`,
    })
  }

  /** The family hears who comes: its devices signed in under a live family code. */
  async function requestAccepted(requestId: string): Promise<number> {
    const r = await requestRow(requestId)
    if (!r || r.status !== 'accepted') return 0
    const subs = await deps.db.query<Subscription>(
      `SELECT s.endpoint, s.p256dh, s.auth FROM ${LIVE_DEVICES} WHERE c.role = 'parent' AND c.family_id = $3 ORDER BY s.endpoint`,
      [...live(), r.familyId])
    return send(subs, {
      title: 'Babysitter confermata',
      body: `${r.provider ?? ''}: arriva ${r.operatorName ?? 'un operatore'} alle ${hm(r.startsAt)} per ${r.childFirstName}.`,
      url: '/emergency', tag: `emergency-${r.id}`,
    })
  }

  return { publicKey: keys.publicKey, requestOpened, requestAccepted }
}

export type WebPush = ReturnType<typeof createWebPush>

/** After a push committed: the notifications its applied emergency mutations call for (not awaited by the caller). */
export async function notifyApplied(webPush: WebPush, applied: { name: string; args: unknown }[]): Promise<void> {
  for (const m of applied) {
    const requestId = (m.args as { requestId?: unknown } | null)?.requestId
    if (typeof requestId !== 'string') continue
    if (m.name === 'emergency.request') await webPush.requestOpened(requestId)
    if (m.name === 'emergency.accept') await webPush.requestAccepted(requestId)
  }
}
