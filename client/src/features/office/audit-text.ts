/**
 * The audit log in words (OfficeAuditView): an action code as a phrase, an entity (one of AUDIT_ENTITIES) as a noun, and an
 * entry's `details` (ids, statuses, counts: audit-log.ts) as short phrases, never JSON. A code the
 * words do not know falls back to the code itself, so a new writer's entries are still readable.
 */
import { isAuditEntity, type AuditEntry } from '../../../../shared/office/audit.schema.ts'
import { cached, formatDay, formatMoney, tag, TIME_ZONE, type Locale } from '../../i18n/format.ts'

export type T = (key: string, named?: Record<string, unknown>, plural?: number) => string
export type Te = (key: string) => boolean

/** 'birth-date.approve' → 'birthDateApprove' (one flat key of the words: no path to stumble on). */
const keyOf = (code: string) => code.replace(/[.-]([a-zA-Z])/g, (_, c: string) => c.toUpperCase())

export function actionWord(t: T, te: Te, action: string): string {
  const k = `officeAudit.actions.${keyOf(action)}`
  return /^[a-zA-Z.-]+$/.test(action) && te(k) ? t(k) : action
}

/** A kind of AUDIT_ENTITIES as its noun (each has one: it.staff.ts checks it); another (a typed URL) as itself. */
export function entityWord(t: T, entity: string): string {
  return isAuditEntity(entity) ? t(`officeAudit.entities.${entity}`) : entity
}

const stamp = cached((l) => new Intl.DateTimeFormat(tag(l), { timeZone: TIME_ZONE, day: '2-digit', month: '2-digit', year: 'numeric', hour: '2-digit', minute: '2-digit' }))
/** "25/11/2026, 07:12" in the program's time zone (a log is read across years: the year is shown). */
export const formatStamp = (iso: string, locale: Locale): string => stamp(locale).format(new Date(iso))

const stampDay = cached((l) => new Intl.DateTimeFormat(tag(l), { timeZone: TIME_ZONE, day: '2-digit', month: '2-digit', year: 'numeric' }))
/** "24/11/2026": a day stored as its midnight in Rome (a payment's day: statements.service.ts). */
export const formatStampDay = (iso: string, locale: Locale): string => stampDay(locale).format(new Date(iso))

const isDay = (v: unknown): v is string => typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v)
const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0

/** The details as phrases, the known keys first in a fixed order, any other key as "key: value". */
export function summarise(e: AuditEntry, t: T, te: Te, locale: Locale, providerName: (id: string) => string | undefined): string[] {
  const d = e.details
  const out: string[] = []
  const done = new Set<string>()
  const take = (...keys: string[]) => keys.forEach((k) => done.add(k))
  if (typeof d.providerId === 'string') {
    out.push(t('officeAudit.d.provider', { name: providerName(d.providerId) ?? d.providerId }))
    take('providerId')
  }
  if (isDay(d.from) && isDay(d.to)) {
    out.push(t('officeAudit.d.period', { from: formatDay(d.from, locale), to: formatDay(d.to, locale) }))
    take('from', 'to')
  }
  if (typeof d.paidAt === 'string') {
    out.push(t('officeAudit.d.paidAt', { date: isDay(d.paidAt) ? formatDay(d.paidAt, locale) : formatStampDay(d.paidAt, locale) }))
    take('paidAt')
  }
  if (typeof d.reference === 'string') {
    out.push(t('officeAudit.d.reference', { ref: d.reference }))
    take('reference')
  }
  if (isCount(d.bookings)) {
    out.push(t('officeAudit.d.bookings', { n: d.bookings }, d.bookings))
    take('bookings', 'rowCount')
    if (isCount(d.emergencyRequests)) {
      if (d.emergencyRequests > 0) out.push(t('officeAudit.d.emergencies', { n: d.emergencyRequests }, d.emergencyRequests))
      take('emergencyRequests')
    }
  } else if (isCount(d.rowCount)) {
    out.push(t('officeAudit.d.rows', { n: d.rowCount }, d.rowCount))
    take('rowCount')
  }
  for (const k of ['totalCents', 'budgetCents', 'maxUnitPriceCents'] as const) {
    if (typeof d[k] === 'number') {
      out.push(t(`officeAudit.d.${k}`, { amount: formatMoney(d[k], locale) }))
      take(k)
    }
  }
  if (isCount(d.sessions)) {
    out.push(t('officeAudit.d.sessions', { n: d.sessions }, d.sessions))
    take('sessions')
  }
  for (const [k, v] of Object.entries(d)) {
    if (done.has(k) || v === null || v === undefined) continue
    out.push(`${k}: ${plain(v, t)}`)
  }
  return out
}

/** A value as words: scalars as they are, a list by its length, an object by its keys. */
function plain(v: unknown, t: T): string {
  if (typeof v === 'boolean') return t(v ? 'officeAudit.yes' : 'officeAudit.no')
  if (typeof v === 'string' || typeof v === 'number') return String(v)
  if (Array.isArray(v)) return v.every((x) => typeof x === 'string' || typeof x === 'number') && v.length <= 5 ? v.join(', ') : t('officeAudit.items', { n: v.length }, v.length)
  if (typeof v === 'object' && v) return Object.keys(v).join(', ')
  return ''
}
