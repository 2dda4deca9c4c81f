/**
 * The family's calendar feed (architecture.md): one secret address per family that a phone's calendar
 * app subscribes to. The secret is random (144 bits), shown once, stored only as its sha256 hash; a
 * new one replaces the old (the old address stops answering), DELETE revokes it. The feed is built on
 * each GET from the database, so it is always current: the family's bookings that hold or used a place
 * (waiting, confirmed, delivered, reimbursed) and its accepted emergency requests. It carries what the
 * family needs in its own calendar (what, when, where, by whom, the status) and nothing more: no notes,
 * no prices, no other family's data. Written with ical-generator (RFC 5545).
 */
import { randomBytes } from 'node:crypto'
import ical, { ICalEventStatus } from 'ical-generator'
import type { Db } from '../../db/db.ts'
import { sha256 } from '../auth/auth.service.ts'

export const newFeedSecret = (): string => randomBytes(18).toString('base64url')

/** Stores a new secret for the family (replacing any earlier one) and returns it. */
export async function issueFeed(db: Db, familyId: string): Promise<string> {
  const secret = newFeedSecret()
  await db.query(
    `INSERT INTO calendar_feeds (family_id, secret_hash) VALUES ($1, $2)
     ON CONFLICT (family_id) DO UPDATE SET secret_hash = EXCLUDED.secret_hash, created_at = now()`,
    [familyId, sha256(secret)],
  )
  return secret
}

export async function revokeFeed(db: Db, familyId: string): Promise<void> {
  await db.query('DELETE FROM calendar_feeds WHERE family_id = $1', [familyId])
}

/** The family a secret belongs to, or null. */
export async function familyOfFeed(db: Db, secret: string): Promise<string | null> {
  const [row] = await db.query<{ familyId: string }>('SELECT family_id AS "familyId" FROM calendar_feeds WHERE secret_hash = $1', [sha256(secret)])
  return row?.familyId ?? null
}

interface BookingRow {
  id: string; status: string; quantity: number; childFirstName: string; startsAt: string; endsAt: string
  service: string; serviceEn: string; provider: string; territory: string; operator: string | null
}
interface EmergencyRow { id: string; startsAt: string; endsAt: string; childFirstName: string; provider: string | null; operator: string | null }

const STATUS_IT: Record<string, string> = { requested: 'in attesa del fornitore', confirmed: 'confermata', delivered: 'erogata', liquidated: 'erogata' }

/** The iCalendar text of a family's feed. */
export async function familyCalendar(db: Db, familyId: string): Promise<string> {
  const bookings = await db.query<BookingRow>(
    `SELECT b.id, b.status, b.quantity, b.child_first_name AS "childFirstName", s.starts_at AS "startsAt", s.ends_at AS "endsAt",
       v.name AS service, v.name_en AS "serviceEn", p.name AS provider, t.name AS territory, o.name AS operator
     FROM bookings b JOIN sessions s ON s.id = b.session_id JOIN services v ON v.id = b.service_id
     JOIN providers p ON p.id = b.provider_id JOIN territories t ON t.id = s.territory_id LEFT JOIN operators o ON o.id = b.operator_id
     WHERE b.family_id = $1 AND b.status IN ('requested', 'confirmed', 'delivered', 'liquidated')
     ORDER BY s.starts_at, b.id`,
    [familyId],
  )
  const emergencies = await db.query<EmergencyRow>(
    `SELECT e.id, e.starts_at AS "startsAt", e.ends_at AS "endsAt", c.first_name AS "childFirstName", p.name AS provider, e.operator_name AS operator
     FROM emergency_requests e JOIN children c ON c.id = e.child_id LEFT JOIN providers p ON p.id = e.provider_id
     WHERE e.family_id = $1 AND e.status IN ('accepted', 'delivered') ORDER BY e.starts_at, e.id`,
    [familyId],
  )
  const cal = ical({ name: 'Conciliapp', prodId: { company: 'Conciliapp', product: 'family-feed', language: 'IT' }, timezone: 'Europe/Rome', ttl: 60 * 60 })
  for (const b of bookings) {
    cal.createEvent({
      id: `booking-${b.id}@conciliapp`,
      start: new Date(b.startsAt),
      end: new Date(b.endsAt),
      summary: `${b.service} · ${b.childFirstName}`,
      description: [`${b.childFirstName}: ${b.quantity} × ${b.service} (${b.serviceEn})`, `Fornitore: ${b.provider}`,
        ...(b.operator ? [`Operatore: ${b.operator}`] : []), `Stato: ${STATUS_IT[b.status] ?? b.status}`].join('\n'),
      location: b.territory,
      status: b.status === 'requested' ? ICalEventStatus.TENTATIVE : ICalEventStatus.CONFIRMED,
    })
  }
  for (const e of emergencies) {
    cal.createEvent({
      id: `emergency-${e.id}@conciliapp`,
      start: new Date(e.startsAt),
      end: new Date(e.endsAt),
      summary: `Baby sitter in emergenza · ${e.childFirstName}`,
      description: [e.provider && `Fornitore: ${e.provider}`, e.operator && `Operatore: ${e.operator}`].filter(Boolean).join('\n'),
      status: ICalEventStatus.CONFIRMED,
    })
  }
  return cal.toString()
}
