/**
 * Writes the demo data: deterministic ids, idempotent (ON CONFLICT DO NOTHING; a restart only adds
 * what is new, e.g. the sessions of days that came into the 4-week window), safe when several
 * processes seed one database at once (an advisory lock serialises them). Rows it inserts get row
 * versions like any other write, so phones pull them.
 */
import { ageInYears } from '../../../../shared/time.ts'
import type { AppDeps } from '../../deps.ts'
import { insertNew } from '../../db/insert-rows.ts'
import { hashCode } from '../auth/auth.service.ts'
import { space } from '../sync/spaces.ts'
import { versionedWrite, type Changes } from '../sync/versioned-write.ts'
import { addDays, weekday, zonedDate, zonedToUtc } from '../time-zone.ts'
import { OFFICER, PROGRAM, PROVIDERS, SERVICES, TERRITORIES } from './demo-catalogue.ts'
import { demoFamilies } from './demo-families.ts'

const SEED_LOCK = 72_731_102
export const SESSION_DAYS = 28

export interface DemoCode {
  code: string
  role: 'parent' | 'provider' | 'officer'
  who: string
}

export interface DemoSummary {
  codes: DemoCode[]
  inserted: number
}

const compact = (date: string) => date.replaceAll('-', '')

function sessionRows(seedDay: string) {
  const rows: unknown[][] = []
  for (let d = 1; d <= SESSION_DAYS; d++) {
    const day = addDays(seedDay, d)
    for (const prv of PROVIDERS) {
      for (const svc of SERVICES.filter((x) => prv.services.includes(x.slug))) {
        const { slot } = svc
        if (!slot.days.includes(weekday(day))) continue
        const startsAt = zonedToUtc(day, slot.start, PROGRAM.timeZone).toISOString()
        const endsAt = zonedToUtc(addDays(day, slot.spanDays ?? 0), slot.end, PROGRAM.timeZone).toISOString()
        const id = `ses-${prv.id.slice(4)}-${svc.slug}-${compact(day)}`
        rows.push([id, svc.id, prv.id, prv.territoryId, startsAt, endsAt, slot.places, slot.places, slot.unitPriceCents, slot.unitsMax, 'open'])
      }
    }
  }
  return rows
}

async function put(tx: Parameters<typeof insertNew>[0], changes: Changes, table: string, columns: string[], rows: unknown[][], touch: (row: unknown[]) => [string[], Parameters<Changes['touch']>[1]]): Promise<number> {
  const inserted = await insertNew(tx, table, columns, rows)
  for (const row of rows) {
    if (!inserted.has(row[0] as string)) continue
    const [spaces, entity] = touch(row)
    changes.touch(spaces, entity, row[0] as string)
  }
  return inserted.size
}

export async function seedDemo(deps: Pick<AppDeps, 'db' | 'clock' | 'notifier'>, families: number): Promise<DemoSummary> {
  const seedDay = zonedDate(deps.clock.now(), PROGRAM.timeZone)
  const fams = demoFamilies(families, seedDay)
  const prg = space.program(PROGRAM.id)
  const inserted = await versionedWrite(deps, async (tx, changes) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [SEED_LOCK])
    let n = 0
    const P = PROGRAM
    n += await put(tx, changes, 'programs', ['id', 'name', 'short_name', 'agency', 'lead_partner', 'voucher_amount_cents', 'voucher_coverage_percent', 'time_zone'],
      [[P.id, P.name, P.shortName, P.agency, P.leadPartner, P.voucherAmountCents, P.voucherCoveragePercent, P.timeZone]], () => [[prg], 'program'])
    n += await put(tx, changes, 'territories', ['id', 'program_id', 'name'], TERRITORIES.map((t) => [t.id, P.id, t.name]), () => [[prg], 'territory'])
    n += await put(tx, changes, 'providers', ['id', 'program_id', 'territory_id', 'name', 'short_name', 'kind'],
      PROVIDERS.map((x) => [x.id, P.id, x.territoryId, x.name, x.shortName, x.kind]), () => [[prg], 'provider'])
    n += await put(tx, changes, 'operators', ['id', 'provider_id', 'name', 'on_call'],
      PROVIDERS.flatMap((x) => x.operators.map((name, i) => [`opr-${x.id.slice(4)}-${i + 1}`, x.id, name, i === 0 && x.services.includes('babysitting')])),
      (row) => [[space.catalog(row[1] as string)], 'operator'])
    n += await put(tx, changes, 'services', ['id', 'program_id', 'category', 'name', 'name_en', 'description', 'unit', 'age_min_years', 'age_max_years'],
      SERVICES.map((x) => [x.id, P.id, x.category, x.name, x.nameEn, x.description, x.unit, x.ageMinYears, x.ageMaxYears]), () => [[prg], 'service'])
    n += await put(tx, changes, 'sessions', ['id', 'service_id', 'provider_id', 'territory_id', 'starts_at', 'ends_at', 'places', 'places_left', 'unit_price_cents', 'units_max', 'status'],
      sessionRows(seedDay), (row) => [[space.catalog(row[2] as string)], 'session'])
    n += await put(tx, changes, 'families', ['id', 'program_id', 'name'], fams.map((f) => [f.id, P.id, f.name]), (row) => [[space.family(row[0] as string)], 'family'])
    n += await put(tx, changes, 'children', ['id', 'family_id', 'first_name', 'birth_date'],
      fams.flatMap((f) => f.children.map((c) => [c.id, f.id, c.firstName, c.birthDate])), (row) => [[space.family(row[1] as string)], 'child'])
    n += await put(tx, changes, 'vouchers', ['id', 'child_id', 'family_id', 'program_id', 'amount_cents', 'balance_cents', 'held_cents', 'spent_cents'],
      fams.flatMap((f) => f.children.map((c) => [c.voucherId, c.id, f.id, P.id, P.voucherAmountCents, P.voucherAmountCents, 0, 0])),
      (row) => [[space.family(row[2] as string)], 'voucher'])
    // Codes are not pulled: no row versions.
    const codeCols = ['id', 'code_hash', 'role', 'program_id', 'family_id', 'provider_id', 'display_name']
    const codes = [
      ...fams.map((f) => [`cod-${f.id}`, hashCode(f.code), 'parent', P.id, f.id, null, f.name]),
      ...PROVIDERS.map((x) => [`cod-${x.id}`, hashCode(x.code), 'provider', P.id, null, x.id, x.name]),
      [OFFICER.id, hashCode(OFFICER.code), 'officer', P.id, null, null, OFFICER.displayName],
    ]
    n += (await insertNew(tx, 'activation_codes', codeCols, codes)).size
    return n
  })
  const codes: DemoCode[] = [
    ...fams.map((f) => ({ code: f.code, role: 'parent' as const, who: `${f.name}: ${f.children.map((c) => `${c.firstName}, ${ageInYears(c.birthDate, seedDay)} anni`).join('; ')}` })),
    ...PROVIDERS.map((x) => ({ code: x.code, role: 'provider' as const, who: `${x.name} (${TERRITORIES.find((t) => t.id === x.territoryId)?.name ?? ''})` })),
    { code: OFFICER.code, role: 'officer', who: OFFICER.displayName },
  ]
  return { codes, inserted }
}

/** The start-up banner: every demo code and what it opens. No personal data beyond demo names. */
export function formatDemoCodes(summary: DemoSummary): string {
  const width = Math.max(...summary.codes.map((c) => c.code.length))
  const section = (role: DemoCode['role'], title: string) =>
    [title, ...summary.codes.filter((c) => c.role === role).map((c) => `  ${c.code.padEnd(width)}  ${c.who}`)]
  return [
    `Demo mode: "${PROGRAM.name}" (${PROGRAM.agency}). Activation codes:`,
    ...section('parent', 'Families (two children, €300 voucher each):'),
    ...section('provider', 'Providers:'),
    ...section('officer', 'Program office (liquidation report):'),
  ].join('\n')
}
