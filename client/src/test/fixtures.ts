/** A small program for tests: one provider, two services, a few sessions in 2030, one family with two children. */
import type { ActivateResponse, Booking, Child, EntityName, Family, MirrorName, Operator, Program, Provider, Row, Service, Session, Territory, Voucher } from '../../../shared/index.ts'

export const program: Program = {
  id: 'prg-1', name: 'Conciliare', shortName: 'Conciliare', agency: 'ATS', voucherAmountCents: 30000, voucherCoveragePercent: 100, timeZone: 'Europe/Rome',
}
export const territory: Territory = { id: 'ter-1', programId: 'prg-1', name: 'Crema' }
export const provider: Provider = { id: 'prv-1', programId: 'prg-1', name: 'ALTANA Cooperativa', shortName: 'ALTANA', territoryId: 'ter-1', kind: 'cooperative' }
export const operator: Operator = {
  id: 'op-1', providerId: 'prv-1', name: 'Chiara Bettoni', onCall: true, track: 'baby-care', qualifications: '', takesMildlyIll: true, onCallWindows: '',
}
export const play: Service = {
  id: 'svc-play', programId: 'prg-1', category: 'play-space', name: 'Spazio gioco', nameEn: 'Play space', description: 'Gioco', unit: 'hour', ageMinYears: 0, ageMaxYears: 6,
}
export const camp: Service = {
  id: 'svc-camp', programId: 'prg-1', category: 'summer-camp', name: 'Centro estivo', nameEn: 'Summer camp', description: 'Estate', unit: 'day', ageMinYears: 6, ageMaxYears: 14,
}

const session = (id: string, serviceId: string, startsAt: string, placesLeft: number, unitPriceCents: number, unitsMax: number): Session => ({
  id, serviceId, providerId: 'prv-1', territoryId: 'ter-1', startsAt, endsAt: startsAt.replace(/T(\d\d)/, (_m, h: string) => `T${String(Number(h) + 3).padStart(2, '0')}`),
  places: 5, placesLeft, unitPriceCents, unitsMax, status: 'open', waiting: 0,
})
export const roomy = session('ses-roomy', 'svc-play', '2030-03-04T09:00:00+01:00', 5, 1200, 4)
export const lastPlace = session('ses-last', 'svc-play', '2030-03-05T09:00:00+01:00', 1, 1200, 4)
export const otherPlay = session('ses-other', 'svc-play', '2030-03-06T09:00:00+01:00', 3, 1200, 4)
export const campWeek = session('ses-camp', 'svc-camp', '2030-07-01T08:00:00+02:00', 5, 9000, 5)

export const family: Family = { id: 'fam-1', programId: 'prg-1', name: 'Famiglia Rossi' }
export const toddler: Child = { id: 'ch-1', familyId: 'fam-1', firstName: 'Giulia', birthDate: '2026-01-10' }
export const pupil: Child = { id: 'ch-2', familyId: 'fam-1', firstName: 'Marco', birthDate: '2021-02-01' }
export const toddlerVoucher: Voucher = { id: 'v-1', childId: 'ch-1', familyId: 'fam-1', programId: 'prg-1', amountCents: 30000, heldCents: 0, spentCents: 0, balanceCents: 30000 }
export const pupilVoucher: Voucher = { id: 'v-2', childId: 'ch-2', familyId: 'fam-1', programId: 'prg-1', amountCents: 30000, heldCents: 0, spentCents: 25000, balanceCents: 5000 }

export const parentAuth: ActivateResponse = { token: 'tok-parent-0123456789abcdef', role: 'parent', programId: 'prg-1', familyId: 'fam-1', providerId: null, displayName: 'Famiglia Rossi' }
export const providerAuth: ActivateResponse = { token: 'tok-provider-0123456789abcd', role: 'provider', programId: 'prg-1', familyId: null, providerId: 'prv-1', displayName: 'ALTANA' }
export const officerAuth: ActivateResponse = { token: 'tok-officer-0123456789abcdef', role: 'officer', programId: 'prg-1', familyId: null, providerId: null, displayName: 'Ufficio' }
export const actorOf = (a: ActivateResponse) => ({ role: a.role, programId: a.programId, familyId: a.familyId, providerId: a.providerId })

export function booking(over: Partial<Booking> & Pick<Booking, 'id' | 'status'>): Booking {
  return {
    childId: 'ch-1', familyId: 'fam-1', sessionId: roomy.id, serviceId: 'svc-play', providerId: 'prv-1', quantity: 2, unitPriceCents: 1200,
    totalCents: 2400, voucherCents: 2400, copayCents: 0, note: null, declineReason: null, operatorId: null, childFirstName: 'Giulia',
    createdAt: '2030-01-01T10:00:00Z', updatedAt: '2030-01-01T10:00:00Z', deliveredAt: null,
    deliveredQuantity: null, noShow: false, confirmedBy: null, deliveredBy: null, operatorName: null, planId: null,
    familyName: 'Famiglia Rossi', childAgeMonths: 50, address: null,
    proposedSessionId: null, proposalNote: null, proposalStatus: null, proposedAt: null, ...over,
  }
}

/** Rows of every registry entity, by mirror name. */
export type World = { [E in EntityName as MirrorName<E>]: Row<E>[] }

export const world = (over: Partial<World> = {}): World => ({
  programs: [program], territories: [territory], providers: [provider], operators: [operator], services: [play, camp],
  sessions: [roomy, lastPlace, otherPlay, campWeek], families: [family], children: [toddler, pupil], vouchers: [toddlerVoucher, pupilVoucher],
  bookings: [], messages: [], emergencyRequests: [], accreditations: [], waitlistEntries: [], planDates: [], childChanges: [], birthDateRequests: [], ...over,
})
