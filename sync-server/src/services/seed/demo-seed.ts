/**
 * Writes the demo data: deterministic ids, idempotent (ON CONFLICT DO NOTHING; a restart only adds
 * what is new, e.g. the sessions of days that came into the 4-week window), safe when several
 * processes seed one database at once (an advisory lock serialises them). Rows it inserts get row
 * versions like any other write, so phones pull them.
 */
import type { Session } from '../../../../shared/catalogue/catalogue.schema.ts'
import { columnOf, def, fieldsOf, type EntityName, type Row } from '../../../../shared/entities/registry.ts'
import { ageInYears } from '../../../../shared/time.ts'
import type { AppDeps } from '../../deps.ts'
import { insertNew } from '../../db/insert-rows.ts'
import { hashCode } from '../auth/auth.service.ts'
import { versionedWrite, type Changes } from '../sync/versioned-write.ts'
import { addDays, weekday, zonedDate, zonedToUtc } from '../time-zone.ts'
import { accreditedCeiling, type DemoCode, demoPeriod, demoPhone, OFFICER, PROGRAM, PROVIDERS, SERVICES, TERRITORIES } from './demo-catalogue.ts'
import { demoFamilies } from './demo-families.ts'
import { demoPast } from './demo-past.ts'
import { sendLedger } from '../sync/sql.ts'
import { SECOND_OFFICER, TXT_PROGRAM } from './demo-txt.ts'
import { seedTxt } from './demo-txt.seed.ts'

const SEED_LOCK = 72_731_102
export const SESSION_DAYS = 28

export type { DemoCode } from './demo-catalogue.ts'

export interface DemoSummary {
  codes: DemoCode[]
  inserted: number
}

const compact = (date: string) => date.replaceAll('-', '')

function sessionRows(seedDay: string): Session[] {
  const rows: Session[] = []
  for (let d = 1; d <= SESSION_DAYS; d++) {
    const day = addDays(seedDay, d)
    for (const prv of PROVIDERS) {
      for (const svc of SERVICES.filter((x) => prv.services.includes(x.slug))) {
        const { slot } = svc
        if (!slot.days.includes(weekday(day))) continue
        const startsAt = zonedToUtc(day, slot.start, PROGRAM.timeZone).toISOString()
        const endsAt = zonedToUtc(addDays(day, slot.spanDays ?? 0), slot.end, PROGRAM.timeZone).toISOString()
        const id = `ses-${prv.id.slice(4)}-${svc.slug}-${compact(day)}`
        rows.push({
          id, serviceId: svc.id, providerId: prv.id, territoryId: prv.territoryId, startsAt, endsAt, places: slot.places, placesLeft: slot.places,
          unitPriceCents: slot.unitPriceCents, unitsMax: slot.unitsMax, status: 'open', waiting: 0,
        })
      }
    }
  }
  return rows
}

/**
 * Rows of one registry entity, inserted if new (columns from the registry), and the new ones stamped
 * in the spaces the registry gives them, as any writer would.
 */
async function put<E extends EntityName>(tx: Parameters<typeof insertNew>[0], changes: Changes, e: E, rows: Row<E>[]): Promise<number> {
  const fields = fieldsOf(e)
  const inserted = await insertNew(tx, def(e).table, fields.map(columnOf), rows.map((r) => fields.map((f) => (r as Record<string, unknown>)[f] ?? null)))
  for (const row of rows) if (inserted.has(row.id)) changes.touch(def(e).spaces(row), e, row.id)
  return inserted.size
}

export interface SeedOptions {
  /**
   * Two months of delivered bookings (demo-past.ts), written on a fresh database only (the seed that
   * creates the program): later starts, and families added later, get none, so vouchers, ledger and
   * places never disagree. `npm start` asks for it; tests seed without it unless they ask.
   */
  past?: boolean
}

export async function seedDemo(deps: Pick<AppDeps, 'db' | 'clock' | 'notifier'>, families: number, opts: SeedOptions = {}): Promise<DemoSummary> {
  const seedDay = zonedDate(deps.clock.now(), PROGRAM.timeZone)
  const fams = demoFamilies(families, seedDay)
  let txtCodes: DemoCode[] = []
  const inserted = await versionedWrite(deps, async (tx, changes) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [SEED_LOCK])
    let n = 0
    const P = PROGRAM
    // The configuration the office edits (issue 11): a period around the demo's dates, the source
    // documents' budget (240 vouchers of €300 were half of it), vouchers assigned by a call.
    const fresh = (await put(tx, changes, 'program', [{ ...P, ...demoPeriod(seedDay), budgetCents: 14_400_000, funding: 'call' as const }])) === 1
    n += fresh ? 1 : 0
    const past = opts.past && fresh ? demoPast(fams, seedDay) : null
    n += await put(tx, changes, 'territory', TERRITORIES.map((t) => ({ id: t.id, programId: P.id, name: t.name })))
    n += await put(tx, changes, 'provider', PROVIDERS.map((x) => ({ id: x.id, programId: P.id, territoryId: x.territoryId, name: x.name, shortName: x.shortName, kind: x.kind })))
    n += await put(tx, changes, 'operator', PROVIDERS.flatMap((x, p) => x.operators.map((name, i) => ({
      id: `opr-${x.id.slice(4)}-${i + 1}`, providerId: x.id, name, onCall: i === 0 && x.services.includes('babysitting'),
      // A work phone each (0028): what a family calls once its urgent request is accepted.
      phone: demoPhone(p, i),
      // What the Job Family desk keeps (issue 9): a training track each, the first on call for sick children.
      track: (['baby-care', 'child-care', 'nursery-care'] as const)[i % 3] ?? null, qualifications: i === 0 ? 'Educatrice professionale, primo soccorso pediatrico' : '',
      // On call round the clock (issue 9: an emergency is taken only by someone whose windows cover it, and
      // the demo must work any day at any hour); the windows' shape is the Job Family desk's.
      takesMildlyIll: i === 0 && x.services.includes('babysitting'), onCallWindows: i === 0 && x.services.includes('babysitting') ? '1-5 00:00-24:00; 6-7 00:00-24:00' : '',
    }))))
    n += await put(tx, changes, 'service', SERVICES.map((x) => ({
      id: x.id, programId: P.id, category: x.category, name: x.name, nameEn: x.nameEn, description: x.description, descriptionEn: x.descriptionEn, unit: x.unit,
      ageMinYears: x.ageMinYears, ageMaxYears: x.ageMaxYears,
    })))
    n += await put(tx, changes, 'accreditation', PROVIDERS.flatMap((x) => SERVICES.filter((v) => x.services.includes(v.slug)).map((v) => ({
      id: `acc-${x.id}-${v.id}`, programId: P.id, providerId: x.id, serviceId: v.id, maxUnitPriceCents: accreditedCeiling(v.slot.unitPriceCents),
    }))))
    n += await put(tx, changes, 'session', sessionRows(seedDay))
    n += await put(tx, changes, 'family', fams.map((f) => ({ id: f.id, programId: P.id, name: f.name })))
    n += await put(tx, changes, 'child', fams.flatMap((f) => f.children.map((c) => ({ id: c.id, familyId: f.id, firstName: c.firstName, birthDate: c.birthDate }))))
    n += await put(tx, changes, 'voucher', fams.flatMap((f) => f.children.map((c) => ({
      id: c.voucherId, childId: c.id, familyId: f.id, programId: P.id, amountCents: P.voucherAmountCents, heldCents: 0,
      spentCents: past?.spent.get(c.voucherId) ?? 0, balanceCents: P.voucherAmountCents - (past?.spent.get(c.voucherId) ?? 0),
    }))))
    if (past) {
      n += await put(tx, changes, 'session', past.sessions)
      n += await put(tx, changes, 'booking', past.bookings)
      sendLedger(tx, past.ledger)
    }
    // Codes are not pulled: no row versions.
    // Marked demo: they work only while the server runs in demo mode (migration 0004).
    const codeCols = ['id', 'code_hash', 'role', 'program_id', 'family_id', 'provider_id', 'display_name', 'demo']
    const codes = [
      ...fams.map((f) => [`cod-${f.id}`, hashCode(f.code), 'parent', P.id, f.id, null, f.name, true]),
      ...PROVIDERS.map((x) => [`cod-${x.id}`, hashCode(x.code), 'provider', P.id, null, x.id, x.name, true]),
      [OFFICER.id, hashCode(OFFICER.code), 'officer', P.id, null, null, OFFICER.displayName, true],
      [SECOND_OFFICER.id, hashCode(SECOND_OFFICER.code), 'officer', P.id, null, null, SECOND_OFFICER.displayName, true],
    ]
    n += (await insertNew(tx, 'activation_codes', codeCols, codes)).size
    // The second program on the same platform (demo-txt.ts).
    const txt = await seedTxt(tx, changes, seedDay, families, SESSION_DAYS)
    txtCodes = txt.codes.map((c) => ({ ...c, programId: TXT_PROGRAM.id }))
    n += txt.inserted
    return n
  })
  const codes: DemoCode[] = [
    ...fams.map((f) => ({ code: f.code, role: 'parent' as const, who: `${f.name}: ${f.children.map((c) => `${c.firstName}, ${ageInYears(c.birthDate, seedDay)} anni`).join('; ')}` })),
    ...PROVIDERS.map((x) => ({ code: x.code, role: 'provider' as const, who: `${x.name} (${TERRITORIES.find((t) => t.id === x.territoryId)?.name ?? ''})` })),
    { code: OFFICER.code, role: 'officer', who: OFFICER.displayName },
    { code: SECOND_OFFICER.code, role: 'officer', who: SECOND_OFFICER.displayName },
    ...txtCodes,
  ]
  return { codes, inserted }
}

/** The start-up banner: every demo code and what it opens. No personal data beyond demo names. */
export function formatDemoCodes(summary: DemoSummary): string {
  const width = Math.max(...summary.codes.map((c) => c.code.length))
  const section = (role: DemoCode['role'], title: string, programId = PROGRAM.id) =>
    [title, ...summary.codes.filter((c) => c.role === role && (c.programId ?? PROGRAM.id) === programId).map((c) => `  ${c.code.padEnd(width)}  ${c.who}`)]
  const T = TXT_PROGRAM
  return [
    `Demo mode: "${PROGRAM.name}" (${PROGRAM.agency}). Activation codes:`,
    ...section('parent', 'Families (two children, €300 voucher each):'),
    ...section('provider', 'Providers:'),
    ...section('officer', 'Program office (calls, ranking, liquidation; OFFICER-2 is the second signature):'),
    '',
    `Second program: "${T.name}" (${T.agency}), employer-funded vouchers covering ${T.voucherCoveragePercent} % of each price:`,
    ...section('parent', `Families (two children, €${T.voucherAmountCents / 100} voucher each):`, T.id),
    ...section('provider', 'Providers:', T.id),
    ...section('officer', 'Program office:', T.id),
  ].join('\n')
}
