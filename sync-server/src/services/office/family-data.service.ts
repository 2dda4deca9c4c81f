/**
 * A family's data for the office: the export an access request needs, and the erasure an erasure
 * request asks for. Erasing keeps what the accounts must keep (vouchers, their ledger, bookings with
 * their amounts and dates, statements: ten years under Italian accounting law) but pseudonymised: the
 * family's and children's names replaced, birth dates cut to the year, notes, decline reasons and
 * messages removed, the family's codes and devices revoked; and so for every table holding the family's
 * data (emergency requests, applications and their children, devices, calendar feed, push
 * subscriptions, sync bookkeeping): erasure.ts classifies every column of the database, and its test
 * fails on a column it does not know. The changed rows are written through the versioned write, so the
 * provider's phones pull the pseudonymised bookings (and the messages' deletion). Refused (409
 * invalid-state) while the family has bookings still open (`open-bookings`: cancel or deliver them
 * first) or an emergency request still open or accepted (`open-emergency`). Both are audited.
 */
import { randomUUID } from 'node:crypto'
import type { Actor } from '../../../../shared/actor.ts'
import { def } from '../../../../shared/entities/registry.ts'
import { ERASED, type EraseAnswer, type FamilyExport, type ReissueCodeAnswer } from '../../../../shared/office/families.schema.ts'
import type { Queryable } from '../../db/db.ts'
import type { AppDeps } from '../../deps.ts'
import { AppError } from '../../errors.ts'
import { recordAudit } from '../audit/audit-log.ts'
import { space } from '../sync/spaces.ts'
import { loadByIds, sqlOf } from '../sync/sql.ts'
import { versionedWrite } from '../sync/versioned-write.ts'
import { afterRevoke, revokeWhere } from '../auth/revoke.service.ts'
import { generateActivationCode } from '../auth/activation-codes.ts'
import { hashCode } from '../auth/auth.service.ts'
import { FAMILY_CODE_PREFIX } from './assign.service.ts'

type Deps = Pick<AppDeps, 'db' | 'clock' | 'notifier' | 'tokens'>

async function familyOf(q: Queryable, officer: Actor, id: string, lock = false) {
  const [f] = await q.query<Record<string, unknown>>(`SELECT * FROM families WHERE id = $1 AND program_id = $2${lock ? ' FOR UPDATE' : ''}`, [id, officer.programId])
  if (!f) throw new AppError('not-found', { entity: 'family', id })
  return f
}

/**
 * The columns the export sends, table by table: listed, never `SELECT *`, so who of the providers' or
 * the office's staff confirmed, delivered or was the usual sitter (bookings.confirmed_by / delivered_by,
 * emergency_requests.delivered_by / usual_operator_id, ...) stays the provider's and the audit's
 * business (the family's pull withholds them too: registry `omit.parent`), and a column added later
 * reaches the family only when it is listed here. The operator who comes (operator_id, operator_name)
 * the family already receives on its phone. families.test.ts fails if a staff column appears.
 */
export const EXPORTED = {
  families: ['id', 'program_id', 'name', 'shift_worker', 'territory_id', 'employer_id'],
  children: ['id', 'family_id', 'first_name', 'birth_date', 'disability', 'dsa', 'note'],
  vouchers: ['id', 'child_id', 'family_id', 'program_id', 'amount_cents', 'balance_cents', 'held_cents', 'spent_cents'],
  voucher_ledger: ['id', 'voucher_id', 'booking_id', 'emergency_request_id', 'kind', 'amount_cents', 'at'],
  bookings: ['id', 'child_id', 'family_id', 'session_id', 'service_id', 'provider_id', 'plan_id', 'quantity', 'status', 'unit_price_cents',
    'total_cents', 'voucher_cents', 'copay_cents', 'note', 'decline_reason', 'operator_id', 'operator_name', 'child_first_name', 'family_name',
    'child_age_months', 'address', 'created_at', 'updated_at', 'delivered_at', 'delivered_quantity', 'no_show', 'proposed_session_id',
    'proposal_note', 'proposal_status', 'proposed_at'],
  messages: ['id', 'booking_id', 'family_id', 'provider_id', 'author_role', 'body', 'created_at'],
  // changed_by is a role ('parent' or 'officer'), not a person.
  child_changes: ['id', 'child_id', 'family_id', 'field', 'before', 'after', 'changed_at', 'changed_by', 'request_id'],
  birth_date_requests: ['id', 'child_id', 'birth_date', 'previous_birth_date', 'status', 'requested_at', 'decided_at', 'reason'],
  erasure_requests: ['id', 'requested_at', 'status', 'handled_at'],
  waitlist_entries: ['id', 'child_id', 'session_id', 'service_id', 'provider_id', 'quantity', 'status', 'booking_id', 'created_at', 'updated_at'],
  plan_dates: ['id', 'plan_id', 'child_id', 'session_id', 'starts_at', 'booking_id', 'code', 'reason', 'created_at'],
  emergency_requests: ['id', 'family_id', 'child_id', 'program_id', 'territory_id', 'starts_at', 'ends_at', 'deadline_at', 'status', 'stage',
    'usual_provider_id', 'head_start_ends_at', 'provider_id', 'operator_id', 'operator_name', 'accepted_at', 'address', 'note', 'family_name',
    'child_first_name', 'child_birth_date', 'voucher_id', 'estimated_cents', 'held_cents', 'spent_cents', 'seen_count', 'created_at',
    'updated_at', 'delivered_at', 'delivered_hours', 'no_show', 'contact_phone'],
  // Never the code's text (activation_code).
  applications: ['id', 'call_id', 'protocol', 'external_ref', 'source', 'applicant_name', 'employer', 'shift_worker', 'household_fragility',
    'isee_cents', 'submitted_at', 'created_at', 'rank', 'score', 'eligible_children', 'breakdown', 'funded', 'voucher_cents', 'family_id',
    'activation_code_id'],
  application_children: ['application_id', 'position', 'first_name', 'birth_date', 'disability', 'dsa', 'child_id'],
} as const satisfies Record<string, readonly string[]>

const cols = (table: keyof typeof EXPORTED, alias?: string) => EXPORTED[table].map((c) => (alias ? `${alias}.${c}` : c)).join(', ')

/**
 * Everything the platform holds about the family. `officer`: the office's export (audited); the family
 * asks for its own through GET /api/family/export (its parent's token: only its own family).
 */
export async function exportFamily(deps: Pick<Deps, 'db' | 'clock'>, officer: Actor, familyId: string): Promise<FamilyExport> {
  const exportedAt = deps.clock.now().toISOString()
  return deps.db.transaction(async (tx) => {
    if (officer.role === 'parent' && officer.familyId !== familyId) throw new AppError('forbidden')
    const [family] = await tx.query<Record<string, unknown>>(`SELECT ${cols('families')} FROM families WHERE id = $1 AND program_id = $2`, [familyId, officer.programId])
    if (!family) throw new AppError('not-found', { entity: 'family', id: familyId })
    const all = (sql: string) => tx.query<Record<string, unknown>>(sql, [familyId])
    const children = EXPORTED.application_children.map((c) => `'${c}', c.${c}`).join(', ')
    const out: FamilyExport = {
      exportedAt,
      family,
      children: await all(`SELECT ${cols('children')} FROM children WHERE family_id = $1 ORDER BY id`),
      vouchers: await all(`SELECT ${cols('vouchers')} FROM vouchers WHERE family_id = $1 ORDER BY id`),
      ledger: await all(`SELECT ${cols('voucher_ledger', 'l')} FROM voucher_ledger l JOIN vouchers v ON v.id = l.voucher_id WHERE v.family_id = $1 ORDER BY l.id`),
      bookings: await all(`SELECT ${cols('bookings')} FROM bookings WHERE family_id = $1 ORDER BY created_at, id`),
      messages: await all(`SELECT ${cols('messages')} FROM messages WHERE family_id = $1 ORDER BY created_at, id`),
      childChanges: await all(`SELECT ${cols('child_changes')} FROM child_changes WHERE family_id = $1 ORDER BY changed_at, id`),
      birthDateRequests: await all(`SELECT ${cols('birth_date_requests')} FROM birth_date_requests WHERE family_id = $1 ORDER BY requested_at, id`),
      erasureRequests: await all(`SELECT ${cols('erasure_requests')} FROM erasure_requests WHERE family_id = $1 ORDER BY requested_at, id`),
      waitlistEntries: await all(`SELECT ${cols('waitlist_entries')} FROM waitlist_entries WHERE family_id = $1 ORDER BY created_at, id`),
      planDates: await all(`SELECT ${cols('plan_dates')} FROM plan_dates WHERE family_id = $1 ORDER BY plan_id, starts_at, id`),
      // Devices: when they were signed in and their names, never a token or code (stored hashed anyway).
      devices: await all(`SELECT t.device_name, t.created_at, t.expires_at, t.revoked_at FROM tokens t JOIN activation_codes c ON c.id = t.code_id
        WHERE c.family_id = $1 ORDER BY t.created_at`),
      emergencyRequests: await all(`SELECT ${cols('emergency_requests')} FROM emergency_requests WHERE family_id = $1 ORDER BY created_at, id`),
      // The applications (and their children) the family made or was funded by.
      applications: await all(`SELECT ${cols('applications', 'a')}, (SELECT coalesce(json_agg(json_build_object(${children}) ORDER BY c.position), '[]')
        FROM application_children c WHERE c.application_id = a.id) AS children FROM applications a
        WHERE a.family_id = $1 OR a.activation_code_id IN (SELECT id FROM activation_codes WHERE family_id = $1) ORDER BY a.created_at, a.id`),
      // Where the family's phones receive notifications, and whether a calendar feed is on (never its secret).
      // (a subscription is its device's: the device's name, never the endpoint or keys).
      pushSubscriptions: await all(`SELECT t.device_name, s.created_at FROM push_subscriptions s JOIN tokens t ON t.token_hash = s.token_hash
        JOIN activation_codes c ON c.id = t.code_id WHERE c.family_id = $1 ORDER BY s.created_at`),
      calendarFeeds: await all('SELECT created_at FROM calendar_feeds WHERE family_id = $1'),
    }
    if (officer.role === 'officer') recordAudit(tx, officer, exportedAt, [{ action: 'family.export', entity: 'family', entityId: familyId }])
    return out
  })
}

export async function eraseFamily(deps: Deps, officer: Actor, familyId: string): Promise<EraseAnswer> {
  const now = deps.clock.now().toISOString()
  const principal = `family:${familyId}`
  const answer = await versionedWrite(deps, async (tx, changes) => {
    await familyOf(tx, officer, familyId, true)
    // Lock order of the push path (registry LOCK_ORDER): emergency requests, bookings, waiting list.
    // An emergency still being looked for or accepted holds money and a provider's promise: close it first.
    const emergencies = await tx.query<{ id: string; status: string }>('SELECT id, status FROM emergency_requests WHERE family_id = $1 ORDER BY id FOR UPDATE', [familyId])
    if (emergencies.some((e) => e.status === 'open' || e.status === 'accepted')) throw new AppError('invalid-state', { reason: 'open-emergency' })
    const bookingIds = (await tx.query<{ id: string }>('SELECT id FROM bookings WHERE family_id = $1 ORDER BY id FOR UPDATE', [familyId])).map((b) => b.id)
    const [open] = await tx.query<{ n: number }>("SELECT count(*)::int AS n FROM bookings WHERE family_id = $1 AND status IN ('requested', 'confirmed')", [familyId])
    if (open!.n > 0) throw new AppError('invalid-state', { reason: 'open-bookings' })

    // Every column of every table, as erasure.ts classifies it (erasure.test.ts holds the two together).
    tx.send('UPDATE families SET name = $2 WHERE id = $1', [familyId, ERASED.familyName])
    const children = await tx.query<{ id: string }>(
      `UPDATE children SET first_name = $2, birth_date = date_trunc('year', birth_date)::date, disability = NULL, dsa = NULL WHERE family_id = $1 RETURNING id`,
      [familyId, ERASED.childName])
    tx.send(
      `UPDATE bookings SET child_first_name = $2, family_name = CASE WHEN family_name IS NULL THEN NULL ELSE $3 END, note = NULL, decline_reason = NULL,
         address = NULL, proposal_note = NULL WHERE family_id = $1`,
      [familyId, ERASED.childName, ERASED.familyName])
    tx.send('UPDATE employees SET external_ref = id WHERE family_id = $1', [familyId])
    // A place waited for would become a booking of a family that is no more: the waiting ends (closed).
    // Their sessions first (lock order: session, then waiting list): 0016's trigger recounts their `waiting`.
    const waitedOn = await tx.query<{ id: string }>(
      "SELECT id FROM sessions WHERE id IN (SELECT session_id FROM waitlist_entries WHERE family_id = $1 AND status = 'waiting') ORDER BY id FOR UPDATE", [familyId])
    const waiting = await tx.query<{ id: string }>(
      "UPDATE waitlist_entries SET status = 'closed', updated_at = $2 WHERE family_id = $1 AND status = 'waiting' RETURNING id", [familyId, now])
    tx.send('UPDATE statement_rows SET child_first_name = $2 WHERE booking_id = ANY($1::text[]) OR emergency_request_id = ANY($3::text[])',
      [bookingIds, ERASED.childName, emergencies.map((e) => e.id)])
    const messages = await tx.query<{ id: string; providerId: string }>('DELETE FROM messages WHERE family_id = $1 RETURNING id, provider_id AS "providerId"', [familyId])
    tx.send(
      `UPDATE emergency_requests SET address = NULL, note = NULL, family_name = $2, child_first_name = $3,
         child_birth_date = date_trunc('year', child_birth_date)::date WHERE family_id = $1`,
      [familyId, ERASED.familyName, ERASED.childName])
    // Applications: the family's own (in the app, or imported then funded) and those behind its codes.
    const applications = await tx.query<{ id: string }>(
      `UPDATE applications SET applicant_name = $2, external_ref = NULL, employer = NULL, household_fragility = false, isee_cents = NULL, activation_code = NULL
       WHERE family_id = $1 OR activation_code_id IN (SELECT id FROM activation_codes WHERE family_id = $1) RETURNING id`,
      [familyId, ERASED.familyName])
    tx.send(
      `UPDATE application_children SET first_name = $2, birth_date = date_trunc('year', birth_date)::date, disability = false, dsa = false
       WHERE application_id = ANY($1::text[])`,
      [applications.map((a) => a.id), ERASED.childName])
    // Counted before the revocation: revoking the tokens drops their subscriptions too (migration 0021).
    const subscriptions = await tx.query(
      `DELETE FROM push_subscriptions s USING tokens t, activation_codes c
       WHERE s.token_hash = t.token_hash AND c.id = t.code_id AND c.family_id = $1 RETURNING s.endpoint`, [familyId])
    const revoked = await revokeWhere(tx, now, "family_id = $1 AND role = 'parent'", [familyId])
    tx.send("UPDATE activation_codes SET display_name = $2 WHERE family_id = $1 AND role = 'parent'", [familyId, ERASED.familyName])
    tx.send('UPDATE tokens SET device_name = NULL WHERE code_id IN (SELECT id FROM activation_codes WHERE family_id = $1)', [familyId])
    const feeds = await tx.query('DELETE FROM calendar_feeds WHERE family_id = $1 RETURNING family_id', [familyId])
    tx.send('DELETE FROM mutation_results WHERE client_id IN (SELECT id FROM clients WHERE principal = $1)', [principal])
    tx.send('DELETE FROM clients WHERE principal = $1', [principal])
    // Issue 10: the children's notes and their history (old names, notes, birth dates) and the birth dates
    // asked of the office are the family's only: gone. The family's erasure request, if it asked: handled now.
    tx.send('UPDATE children SET note = NULL WHERE family_id = $1', [familyId])
    tx.send('DELETE FROM child_changes WHERE family_id = $1', [familyId])
    tx.send('DELETE FROM birth_date_requests WHERE family_id = $1', [familyId])
    tx.send("UPDATE erasure_requests SET status = 'done', handled_at = $2 WHERE family_id = $1 AND status = 'pending'", [familyId, now])

    // What phones hold changes too: the family's rows, and the provider's copies of its bookings.
    const [family] = await loadByIds(tx, 'family', [familyId])
    changes.touch(def('family').spaces(family!), 'family', familyId)
    for (const c of await loadByIds(tx, 'child', children.map((x) => x.id))) changes.touch(def('child').spaces(c), 'child', c.id)
    for (const b of await tx.query<{ id: string; familyId: string; providerId: string }>(
      `${sqlOf('booking').select} WHERE family_id = $1`, [familyId])) changes.touch(def('booking').spaces(b as never), 'booking', b.id)
    for (const w of await loadByIds(tx, 'waitlistEntry', waiting.map((x) => x.id))) changes.touch(def('waitlistEntry').spaces(w), 'waitlistEntry', w.id)
    for (const x of await loadByIds(tx, 'session', waitedOn.map((x) => x.id))) changes.touch(def('session').spaces(x), 'session', x.id)
    for (const m of messages) changes.touch([space.family(familyId), space.orders(m.providerId)], 'message', m.id, true)
    recordAudit(tx, officer, now, [{
      action: 'family.erase', entity: 'family', entityId: familyId,
      details: {
        children: children.length, bookings: bookingIds.length, messagesDeleted: messages.length, tokensRevoked: revoked.revokedTokens,
        emergencyRequests: emergencies.length, applications: applications.length, pushSubscriptionsDeleted: subscriptions.length, calendarFeedsDeleted: feeds.length,
      },
    }])
    return {
      familyId, erasedAt: now, children: children.length, bookings: bookingIds.length, messagesDeleted: messages.length, tokensRevoked: revoked.revokedTokens,
      emergencyRequests: emergencies.length, applications: applications.length, pushSubscriptionsDeleted: subscriptions.length, calendarFeedsDeleted: feeds.length,
    }
  })
  // The family's phones are poked with the revocation: they pull, are refused (401) and wipe.
  await afterRevoke(deps, [space.principal(principal)])
  return answer
}

/**
 * POST /families/:id/reissue-code: a lost letter or a lost phone. In one transaction the family's
 * parent codes and every device signed in with them are revoked, a new code of 60 random bits is
 * issued (stored hashed; its text kept with the family's funded applications for the letter, as the
 * assignment does), and the audit says who did it (never the code). The family's phones are poked,
 * pull, and are refused (401): they show nothing of the family any more.
 */
export async function reissueCode(deps: Deps, officer: Actor, familyId: string): Promise<ReissueCodeAnswer> {
  const now = deps.clock.now().toISOString()
  const code = generateActivationCode(FAMILY_CODE_PREFIX)
  const codeId = `cod-${randomUUID()}`
  const answer = await versionedWrite(deps, async (tx) => {
    const family = await familyOf(tx, officer, familyId, true)
    const revoked = await revokeWhere(tx, now, "family_id = $1 AND role = 'parent'", [familyId])
    tx.send(
      `INSERT INTO activation_codes (id, code_hash, role, program_id, family_id, display_name, created_at) VALUES ($1, $2, 'parent', $3, $4, $5, $6)`,
      [codeId, hashCode(code), officer.programId, familyId, String(family.name ?? ''), now])
    const applications = await tx.query<{ id: string }>(
      `UPDATE applications SET activation_code_id = $2, activation_code = $3
       WHERE family_id = $1 AND funded AND call_id IN (SELECT id FROM calls WHERE program_id = $4) RETURNING id`,
      [familyId, codeId, code, officer.programId])
    recordAudit(tx, officer, now, [{
      action: 'code.reissue', entity: 'family', entityId: familyId,
      details: { codeId, codesRevoked: revoked.revokedCodes, tokensRevoked: revoked.revokedTokens, applications: applications.length },
    }])
    return { familyId, codeId, code, codesRevoked: revoked.revokedCodes, tokensRevoked: revoked.revokedTokens, applications: applications.length }
  })
  await afterRevoke(deps, [space.principal(`family:${familyId}`)])
  return answer
}
