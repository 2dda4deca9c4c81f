/** A tiny program for rule tests: one provider, two services, sessions, one family with two children. */
import type { Booking } from '../booking/booking.schema.ts'
import type { Accreditation, Operator, Program, Provider, Service, Session, Territory } from '../catalogue/catalogue.schema.ts'
import type { Child, Family } from '../family/family.schema.ts'
import { stateFrom, type MemoryState } from '../mutators/memory-store.ts'
import type { MutationContext } from '../mutators/store.ts'
import type { Voucher } from '../voucher/voucher.schema.ts'

export const NOW = '2026-11-21T08:00:00.000Z'

export const program: Program = {
  id: 'prg', name: 'Conciliare', shortName: 'conciliare', agency: 'ATS', voucherAmountCents: 30000,
  voucherCoveragePercent: 100, timeZone: 'Europe/Rome',
}
export const services: Service[] = [
  { id: 'svc-bs', programId: 'prg', category: 'sick-child-babysitting', name: 'Babysitting', nameEn: 'Babysitting',
    description: '', unit: 'hour', ageMinYears: 0, ageMaxYears: 12 },
  { id: 'svc-nido', programId: 'prg', category: 'nursery', name: 'Nido', nameEn: 'Nursery',
    description: '', unit: 'day', ageMinYears: 0, ageMaxYears: 3 },
]
export const session = (id: string, over: Partial<Session> = {}): Session => ({
  id, serviceId: 'svc-bs', providerId: 'prv', territoryId: 'ter', startsAt: '2026-11-25T08:00:00.000Z',
  endsAt: '2026-11-25T12:00:00.000Z', places: 2, placesLeft: 2, unitPriceCents: 1500, unitsMax: 8, status: 'open', waiting: 0, ...over,
})
export const children: Child[] = [
  { id: 'c1', familyId: 'fam', firstName: 'Anna', birthDate: '2018-03-01' },
  { id: 'c2', familyId: 'fam', firstName: 'Luca', birthDate: '2024-06-10' },
  { id: 'c3', familyId: 'other', firstName: 'Zoe', birthDate: '2019-01-01' },
]
export const voucher = (childId: string, amountCents = 30000): Voucher => ({
  id: `v-${childId}`, childId, familyId: children.find((c) => c.id === childId)?.familyId ?? 'fam', programId: 'prg', amountCents, heldCents: 0, spentCents: 0, balanceCents: amountCents,
})
export const operators: Operator[] = [
  { id: 'op1', providerId: 'prv', name: 'Giulia', onCall: true, track: 'baby-care', qualifications: '', takesMildlyIll: true, onCallWindows: '1-5 05:30-14:00; 6 07:00-22:00' },
  { id: 'op2', providerId: 'prv2', name: 'Marta', onCall: true, track: 'child-care', qualifications: '', takesMildlyIll: true, onCallWindows: '' },
  { id: 'op3', providerId: 'prv2', name: 'Paolo', onCall: false, track: null, qualifications: '', takesMildlyIll: false, onCallWindows: '' },
]
/** Two cooperatives of one territory (both may take emergencies), one of another. */
export const territories: Territory[] = [{ id: 'ter', programId: 'prg', name: 'Crema' }, { id: 'ter2', programId: 'prg', name: 'Cremona' }]
export const providers: Provider[] = [
  { id: 'prv', programId: 'prg', name: 'ALTANA', shortName: 'ALTANA', territoryId: 'ter', kind: 'cooperative' },
  { id: 'prv2', programId: 'prg', name: 'KOALA', shortName: 'KOALA', territoryId: 'ter', kind: 'cooperative' },
  { id: 'prv3', programId: 'prg', name: 'IL CERCHIO', shortName: 'IL CERCHIO', territoryId: 'ter2', kind: 'cooperative' },
]
export const families: Family[] = [{ id: 'fam', programId: 'prg', name: 'Famiglia Rossi' }, { id: 'other', programId: 'prg', name: 'Famiglia Bianchi' }]

/** What the office accredited: ALTANA for both services (babysitting up to €25/hour), KOALA for babysitting. */
export const accreditations: Accreditation[] = [
  { id: 'acc-prv-bs', programId: 'prg', providerId: 'prv', serviceId: 'svc-bs', maxUnitPriceCents: 2500 },
  { id: 'acc-prv-nido', programId: 'prg', providerId: 'prv', serviceId: 'svc-nido', maxUnitPriceCents: 4000 },
  { id: 'acc-prv2-bs', programId: 'prg', providerId: 'prv2', serviceId: 'svc-bs', maxUnitPriceCents: 2500 },
]

export function fixtureState(sessions: Session[] = [session('s1'), session('s2', { startsAt: '2026-11-26T08:00:00.000Z' })]): MemoryState {
  return stateFrom({
    programs: [program], services, operators, children, sessions, territories, providers, families,
    vouchers: children.map((c) => voucher(c.id)), bookings: [] as Booking[], accreditations,
  })
}

export const parent: MutationContext = { actor: { role: 'parent', programId: 'prg', familyId: 'fam', providerId: null }, now: NOW }
export const otherParent: MutationContext = { actor: { role: 'parent', programId: 'prg', familyId: 'other', providerId: null }, now: NOW }
export const provider: MutationContext = { actor: { role: 'provider', programId: 'prg', familyId: null, providerId: 'prv' }, now: NOW }
/** The provider while the default fixture sessions run (2026-11-25 08:00–12:00 UTC): deliveries may be recorded. */
export const providerDuring: MutationContext = { ...provider, now: '2026-11-25T10:00:00.000Z' }
export const provider2: MutationContext = { actor: { role: 'provider', programId: 'prg', familyId: null, providerId: 'prv2' }, now: NOW }
export const provider3: MutationContext = { actor: { role: 'provider', programId: 'prg', familyId: null, providerId: 'prv3' }, now: NOW }
