/**
 * Writes the second demo program ("+ t x t", demo-txt.ts) inside the demo seed's transaction, the
 * same way (deterministic ids, inserted if new, stamped in their spaces): territories, providers
 * with their operators, services and four weeks of sessions, families TXT-0001… (each with two
 * children and a voucher each of the program's amount), one code per provider and OFFICER-TXT.
 * Every code is marked demo (migration 0004).
 */
import type { Session } from '../../../../shared/catalogue/catalogue.schema.ts'
import { ageInYears } from '../../../../shared/time.ts'
import type { TxQueryable } from '../../db/db.ts'
import { insertNew } from '../../db/insert-rows.ts'
import { hashCode } from '../auth/auth.service.ts'
import { putNew } from '../sync/put-entities.ts'
import type { Changes } from '../sync/versioned-write.ts'
import { addDays, weekday, zonedToUtc } from '../time-zone.ts'
import { accreditedCeiling, type DemoCode, demoPeriod, demoPhone } from './demo-catalogue.ts'
import { demoFamilies } from './demo-families.ts'
import { TXT_EMPLOYER_BUDGETS, TXT_EMPLOYERS, TXT_OFFICER, TXT_PROGRAM as P, TXT_PROVIDERS, TXT_SERVICES, TXT_TERRITORIES } from './demo-txt.ts'

const SURNAMES = ['Sala', 'Brambilla', 'Villa', 'Cattaneo', 'Pozzi', 'Radice', 'Mauri', 'Riva', 'Longoni', 'Crippa', 'Meroni', 'Galbiati']
const NAMES = ['Matilde', 'Pietro', 'Beatrice', 'Edoardo', 'Chiara', 'Filippo', 'Anna', 'Lorenzo', 'Vittoria', 'Gabriele', 'Camilla', 'Davide']
const pad = (n: number) => String(n).padStart(4, '0')

/** TXT-0001…: the first program's family generator (ages, birth dates), with their own ids and names. */
export function txtFamilies(count: number, seedDay: string) {
  return demoFamilies(count, seedDay).map((f, i) => {
    const n = pad(i + 1)
    const round = Math.floor(i / SURNAMES.length)
    return {
      id: `fam-txt-${n}`,
      code: `TXT-${n}`,
      name: `Famiglia ${SURNAMES[i % SURNAMES.length] ?? 'Sala'}${round > 0 ? ` ${round + 1}` : ''}`,
      employer: TXT_EMPLOYERS[i % TXT_EMPLOYERS.length] ?? 'WaY Spa',
      children: f.children.map((c, k) => ({
        ...c, id: `chd-txt-${n}-${k + 1}`, voucherId: `vch-txt-${n}-${k + 1}`, firstName: NAMES[(2 * i + k) % NAMES.length] ?? c.firstName,
      })),
    }
  })
}

function sessionRows(seedDay: string, days: number): Session[] {
  const rows: Session[] = []
  for (let d = 1; d <= days; d++) {
    const day = addDays(seedDay, d)
    for (const prv of TXT_PROVIDERS) {
      for (const svc of TXT_SERVICES.filter((x) => prv.services.includes(x.slug))) {
        const { slot } = svc
        if (!slot.days.includes(weekday(day))) continue
        rows.push({
          id: `ses-txt-${prv.id.slice(8)}-${svc.slug}-${day.replaceAll('-', '')}`, serviceId: svc.id, providerId: prv.id, territoryId: prv.territoryId,
          startsAt: zonedToUtc(day, slot.start, P.timeZone).toISOString(), endsAt: zonedToUtc(addDays(day, slot.spanDays ?? 0), slot.end, P.timeZone).toISOString(),
          places: slot.places, placesLeft: slot.places, unitPriceCents: slot.unitPriceCents, unitsMax: slot.unitsMax, status: 'open', waiting: 0,
        })
      }
    }
  }
  return rows
}

/** The demo employers' creation time: the seeding day's midnight (deterministic, so reseeding changes nothing). */
const seedCreatedAt = (seedDay: string) => `${seedDay}T00:00:00.000Z`

export async function seedTxt(tx: TxQueryable, changes: Changes, seedDay: string, families: number, sessionDays: number): Promise<{ inserted: number; codes: DemoCode[] }> {
  const fams = txtFamilies(families, seedDay)
  let n = 0
  // Configured (issue 11): funded by employers, a day's notice to cancel (professionals on demand).
  n += await putNew(tx, changes, 'program', [{ ...P, ...demoPeriod(seedDay), budgetCents: TXT_EMPLOYER_BUDGETS.reduce((a, b) => a + b, 0), cancellationWindowHours: 24, funding: 'employer' }])
  n += await putNew(tx, changes, 'territory', TXT_TERRITORIES.map((t) => ({ id: t.id, programId: P.id, name: t.name })))
  n += await putNew(tx, changes, 'provider', TXT_PROVIDERS.map((x) => ({ id: x.id, programId: P.id, territoryId: x.territoryId, name: x.name, shortName: x.shortName, kind: x.kind })))
  n += await putNew(tx, changes, 'operator', TXT_PROVIDERS.flatMap((x, p) => x.operators.map((name, i) => ({
    id: `opr-txt-${x.id.slice(8)}-${i + 1}`, providerId: x.id, name, onCall: i === 0 && x.services.includes('nanny'), phone: demoPhone(50 + p, i),
    track: null, qualifications: '', takesMildlyIll: i === 0 && x.services.includes('nanny'), onCallWindows: '',
  }))))
  n += await putNew(tx, changes, 'service', TXT_SERVICES.map((x) => ({
    id: x.id, programId: P.id, category: x.category, name: x.name, nameEn: x.nameEn, description: x.description, unit: x.unit,
    ageMinYears: x.ageMinYears, ageMaxYears: x.ageMaxYears,
  })))
  n += await putNew(tx, changes, 'accreditation', TXT_PROVIDERS.flatMap((x) => TXT_SERVICES.filter((v) => x.services.includes(v.slug)).map((v) => ({
    id: `acc-${x.id}-${v.id}`, programId: P.id, providerId: x.id, serviceId: v.id, maxUnitPriceCents: accreditedCeiling(v.slot.unitPriceCents),
  }))))
  n += await putNew(tx, changes, 'session', sessionRows(seedDay, sessionDays))
  n += await putNew(tx, changes, 'family', fams.map((f) => ({ id: f.id, programId: P.id, name: f.name })))
  n += await putNew(tx, changes, 'child', fams.flatMap((f) => f.children.map((c) => ({ id: c.id, familyId: f.id, firstName: c.firstName, birthDate: c.birthDate }))))
  n += await putNew(tx, changes, 'voucher', fams.flatMap((f) => f.children.map((c) => ({
    id: c.voucherId, childId: c.id, familyId: f.id, programId: P.id, amountCents: P.voucherAmountCents, heldCents: 0, spentCents: 0, balanceCents: P.voucherAmountCents,
  }))))
  const codeCols = ['id', 'code_hash', 'role', 'program_id', 'family_id', 'provider_id', 'display_name', 'demo']
  n += (await insertNew(tx, 'activation_codes', codeCols, [
    ...fams.map((f) => [`cod-${f.id}`, hashCode(f.code), 'parent', P.id, f.id, null, f.name, true]),
    ...TXT_PROVIDERS.map((x) => [`cod-${x.id}`, hashCode(x.code), 'provider', P.id, null, x.id, x.name, true]),
    [TXT_OFFICER.id, hashCode(TXT_OFFICER.code), 'officer', P.id, null, null, TXT_OFFICER.displayName, true],
  ])).size
  // The employers whose budgets became these vouchers (issue 11): each demo family is one employee of
  // its employer; what they hold is the employer's assigned amount (its budget at least that).
  const employerId = (name: string) => `emp-txt-${name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '')}`
  const assigned = new Map<string, number>()
  for (const f of fams) assigned.set(f.employer, (assigned.get(f.employer) ?? 0) + f.children.length * P.voucherAmountCents)
  const created = seedCreatedAt(seedDay)
  n += (await insertNew(tx, 'employers', ['id', 'program_id', 'name', 'budget_cents', 'assigned_cents', 'created_at'],
    TXT_EMPLOYERS.map((name, i) => [employerId(name), P.id, name, Math.max(TXT_EMPLOYER_BUDGETS[i] ?? 0, assigned.get(name) ?? 0), assigned.get(name) ?? 0, created]))).size
  const newEmployees = await insertNew(tx, 'employees', ['id', 'employer_id', 'external_ref', 'family_id', 'activation_code_id', 'created_at'],
    fams.map((f, i) => [`emq-${f.id}`, employerId(f.employer), `DEMO-${String(i + 1).padStart(4, '0')}`, f.id, `cod-${f.id}`, created]))
  n += newEmployees.size
  tx.send('UPDATE families SET employer_id = e.employer_id FROM employees e WHERE e.family_id = families.id AND e.id = ANY($1::text[])', [[...newEmployees]])
  const codes: DemoCode[] = [
    ...fams.map((f) => ({ code: f.code, role: 'parent' as const, who: `${f.name} (${f.employer}): ${f.children.map((c) => `${c.firstName}, ${ageInYears(c.birthDate, seedDay)} anni`).join('; ')}` })),
    ...TXT_PROVIDERS.map((x) => ({ code: x.code, role: 'provider' as const, who: `${x.name} (${TXT_TERRITORIES.find((t) => t.id === x.territoryId)?.name ?? ''})` })),
    { code: TXT_OFFICER.code, role: 'officer' as const, who: TXT_OFFICER.displayName },
  ]
  return { inserted: n, codes }
}
