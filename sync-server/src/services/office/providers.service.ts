/**
 * Providers and their accreditation (issue 11; docs/office-commands.md): the office accredits a
 * provider for some of the program's services at a price ceiling (issuing its coordinator's code),
 * changes its services, suspends it and reinstates it.
 *
 * Suspension closes the provider's open sessions still to come through the SAME shared rule a
 * provider's own `session.close` runs (shared/mutators/session.mutators.ts), decided here on the
 * server as that provider: each live booking is declined with the office's reason, its place and
 * voucher hold go back (ledger rows), and the families' phones, on their next pull, show the
 * declined booking and offer the other sessions of the same service. Nothing is stubbed: the rows
 * are written, stamped and audited in the one transaction.
 */
import { randomUUID } from 'node:crypto'
import type { Actor } from '../../../../shared/actor.ts'
import { runMutation } from '../../../../shared/mutators/mutators.ts'
import type { AccreditAnswer, AccreditRequest, AccreditedService, ProviderEntry, ProvidersAnswer, SuspendAnswer } from '../../../../shared/office/program.schema.ts'
import { accreditationConflicts, noConflicts, suspendable } from '../../../../shared/office/program.rules.ts'
import type { Queryable, TxQueryable } from '../../db/db.ts'
import type { AppDeps } from '../../deps.ts'
import { AppError } from '../../errors.ts'
import { recordAudit, type AuditRecord } from '../audit/audit-log.ts'
import { generateActivationCode } from '../auth/activation-codes.ts'
import { hashCode } from '../auth/auth.service.ts'
import { keepWritten, sendOverlay, serverOverlay } from '../sync/server-overlay.ts'
import { space } from '../sync/spaces.ts'
import { versionedWrite, type Changes } from '../sync/versioned-write.ts'

type Deps = Pick<AppDeps, 'db' | 'clock' | 'notifier'>

export const COORDINATOR_CODE_PREFIX = 'PRV'

export async function listProviders(q: Queryable, officer: Actor, id?: string): Promise<ProvidersAnswer> {
  const rows = await q.query<Omit<ProviderEntry, 'services'> & { services: AccreditedService[] | null }>(
    `SELECT p.id, p.name, p.short_name AS "shortName", p.territory_id AS "territoryId", p.kind, p.suspended_at AS "suspendedAt",
       p.suspension_reason AS "suspensionReason",
       (SELECT json_agg(json_build_object('serviceId', a.service_id, 'maxUnitPriceCents', a.max_unit_price_cents) ORDER BY a.service_id)
          FROM accreditations a WHERE a.provider_id = p.id) AS services,
       (SELECT count(*)::int FROM bookings b WHERE b.provider_id = p.id AND b.status IN ('requested', 'confirmed')) AS "openOrders"
     FROM providers p WHERE p.program_id = $1 ${id ? 'AND p.id = $2' : ''} ORDER BY p.name, p.id`,
    id ? [officer.programId, id] : [officer.programId],
  )
  return {
    providers: rows.map((r) => ({ ...r, suspendedAt: r.suspendedAt ? new Date(r.suspendedAt).toISOString() : null, services: r.services ?? [] })),
  }
}

async function providerEntry(q: Queryable, officer: Actor, id: string): Promise<ProviderEntry> {
  const [p] = (await listProviders(q, officer, id)).providers
  if (!p) throw new AppError('not-found', { entity: 'provider', id })
  return p
}

/** The officer's provider, locked for the transaction; another program's is `not-found`. */
async function lockProvider(tx: Queryable, officer: Actor, id: string) {
  const [p] = await tx.query<{ id: string; suspendedAt: string | null }>(
    'SELECT id, suspended_at AS "suspendedAt" FROM providers WHERE id = $1 AND program_id = $2 FOR UPDATE',
    [id, officer.programId],
  )
  if (!p) throw new AppError('not-found', { entity: 'provider', id })
  return p
}

/** The services must be the program's. */
async function checkServices(q: Queryable, programId: string, services: readonly AccreditedService[]): Promise<void> {
  const ids = services.map((s) => s.serviceId)
  const found = await q.query<{ id: string }>('SELECT id FROM services WHERE program_id = $1 AND id = ANY($2::text[])', [programId, ids])
  const missing = ids.find((id) => !found.some((f) => f.id === id))
  if (missing) throw new AppError('not-found', { entity: 'service', id: missing })
}

const accreditationId = (providerId: string, serviceId: string) => `acc-${providerId}-${serviceId}`

function sendAccreditations(tx: TxQueryable, changes: Changes, programId: string, providerId: string, services: readonly AccreditedService[]): void {
  if (!services.length) return
  tx.send(
    `INSERT INTO accreditations (id, program_id, provider_id, service_id, max_unit_price_cents)
     SELECT u.id, $1, $2, u.service_id, u.max FROM unnest($3::text[], $4::text[], $5::int[]) AS u(id, service_id, max)
     ON CONFLICT (provider_id, service_id) DO UPDATE SET max_unit_price_cents = EXCLUDED.max_unit_price_cents`,
    [programId, providerId, services.map((s) => accreditationId(providerId, s.serviceId)), services.map((s) => s.serviceId), services.map((s) => s.maxUnitPriceCents)],
  )
  for (const s of services) changes.touch([space.program(programId)], 'accreditation', accreditationId(providerId, s.serviceId))
}

export async function accreditProvider(deps: Deps, officer: Actor, req: AccreditRequest): Promise<AccreditAnswer> {
  const id = `prv-${randomUUID()}`
  const coordinatorCode = generateActivationCode(COORDINATOR_CODE_PREFIX)
  const now = deps.clock.now().toISOString()
  await versionedWrite(deps, async (tx, changes) => {
    const [territory] = await tx.query('SELECT id FROM territories WHERE id = $1 AND program_id = $2', [req.territoryId, officer.programId])
    if (!territory) throw new AppError('not-found', { entity: 'territory', id: req.territoryId })
    await checkServices(tx, officer.programId, req.services)
    tx.send(
      'INSERT INTO providers (id, program_id, territory_id, name, short_name, kind) VALUES ($1, $2, $3, $4, $5, $6)',
      [id, officer.programId, req.territoryId, req.name, req.shortName, req.kind],
    )
    changes.touch([space.program(officer.programId)], 'provider', id)
    sendAccreditations(tx, changes, officer.programId, id, req.services)
    tx.send(
      `INSERT INTO activation_codes (id, code_hash, role, program_id, provider_id, display_name, created_at) VALUES ($1, $2, 'provider', $3, $4, $5, $6)`,
      [`cod-${randomUUID()}`, hashCode(coordinatorCode), officer.programId, id, req.name, now],
    )
    recordAudit(tx, officer, now, [
      { action: 'provider.accredit', entity: 'provider', entityId: id, details: { services: req.services.length } },
      ...req.services.map((s): AuditRecord => ({ action: 'accreditation.set', entity: 'accreditation', entityId: accreditationId(id, s.serviceId), details: { maxUnitPriceCents: s.maxUnitPriceCents } })),
    ])
  })
  return { id, coordinatorCode }
}

/** The provider's open sessions still to come (what its accreditation must keep covering). */
const openSessions = (q: Queryable, providerId: string, now: string) => q.query<{ id: string; serviceId: string; unitPriceCents: number }>(
  `SELECT id, service_id AS "serviceId", unit_price_cents AS "unitPriceCents" FROM sessions
   WHERE provider_id = $1 AND status = 'open' AND starts_at > $2 ORDER BY id`,
  [providerId, now],
)

export async function setProviderServices(deps: Deps, officer: Actor, providerId: string, services: readonly AccreditedService[]): Promise<ProviderEntry> {
  const now = deps.clock.now().toISOString()
  await versionedWrite(deps, async (tx, changes) => {
    await lockProvider(tx, officer, providerId)
    await checkServices(tx, officer.programId, services)
    const checked = noConflicts(accreditationConflicts(services, await openSessions(tx, providerId, now)))
    if (!checked.ok) throw new AppError(checked.code, checked.details)
    const gone = await tx.query<{ id: string }>(
      'DELETE FROM accreditations WHERE provider_id = $1 AND NOT (service_id = ANY($2::text[])) RETURNING id',
      [providerId, services.map((s) => s.serviceId)],
    )
    for (const g of gone) changes.touch([space.program(officer.programId)], 'accreditation', g.id, true)
    sendAccreditations(tx, changes, officer.programId, providerId, services)
    recordAudit(tx, officer, now, [
      ...services.map((s): AuditRecord => ({ action: 'accreditation.set', entity: 'accreditation', entityId: accreditationId(providerId, s.serviceId), details: { maxUnitPriceCents: s.maxUnitPriceCents } })),
      ...gone.map((g): AuditRecord => ({ action: 'accreditation.withdraw', entity: 'accreditation', entityId: g.id })),
    ])
  })
  return providerEntry(deps.db, officer, providerId)
}

export async function suspendProvider(deps: Deps, officer: Actor, providerId: string, reason: string): Promise<SuspendAnswer> {
  const now = deps.clock.now().toISOString()
  const counts = await versionedWrite(deps, async (tx, changes) => {
    const p = await lockProvider(tx, officer, providerId)
    const ok = suspendable(p, 'suspend')
    if (!ok.ok) throw new AppError(ok.code, ok.details)
    const sessions = await openSessions(tx, providerId, now)
    // The provider's side of the rule, decided as the provider (session.close declines and releases).
    const asProvider: Actor = { role: 'provider', programId: officer.programId, familyId: null, providerId, personId: officer.personId ?? null }
    const audit: AuditRecord[] = [{ action: 'provider.suspend', entity: 'provider', entityId: providerId, details: { sessions: sessions.length } }]
    let declined = 0
    // One overlay for every session (as a push decides its mutations), its writes sent once at the end.
    const { overlay } = serverOverlay(tx, () => now)
    for (const s of sessions) {
      overlay.begin()
      const r = await runMutation(overlay.store, 'session.close', { sessionId: s.id, reason }, { actor: asProvider, now })
      if (!r.ok) throw new AppError(r.code, r.details) // the transaction, and so everything, is rolled back
      for (const w of keepWritten(overlay, changes)) {
        if (w.entity === 'booking') declined++
        audit.push({ action: 'session.close', entity: w.entity, entityId: w.row.id, details: { by: 'office', reason: 'provider-suspended' } })
      }
    }
    sendOverlay(tx, overlay)
    tx.send('UPDATE providers SET suspended_at = $2, suspension_reason = $3 WHERE id = $1', [providerId, now, reason])
    changes.touch([space.program(officer.programId)], 'provider', providerId)
    recordAudit(tx, officer, now, audit)
    return { declined, sessionsClosed: sessions.length }
  })
  return { ...counts, provider: await providerEntry(deps.db, officer, providerId) }
}

/** Reinstated: it may offer sessions again (those closed at the suspension stay closed). */
export async function reinstateProvider(deps: Deps, officer: Actor, providerId: string): Promise<ProviderEntry> {
  const now = deps.clock.now().toISOString()
  await versionedWrite(deps, async (tx, changes) => {
    const p = await lockProvider(tx, officer, providerId)
    const ok = suspendable(p, 'reinstate')
    if (!ok.ok) throw new AppError(ok.code, ok.details)
    tx.send('UPDATE providers SET suspended_at = NULL, suspension_reason = NULL WHERE id = $1', [providerId])
    changes.touch([space.program(officer.programId)], 'provider', providerId)
    recordAudit(tx, officer, now, [{ action: 'provider.reinstate', entity: 'provider', entityId: providerId }])
  })
  return providerEntry(deps.db, officer, providerId)
}
