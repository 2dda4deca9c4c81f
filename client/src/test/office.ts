/** The office's screens' test data: an officer's activation and a program's configuration (stand-ins for the office API). */
import type { ProgramConfig } from '../../../shared/office/program.schema.ts'
import type { ActivateResponse } from '../../../shared/sync/protocol.ts'

export const officerAuth: ActivateResponse = { token: 'tok-officer-0123456789abcdef', role: 'officer', programId: 'prg-1', familyId: null, providerId: null, displayName: 'Ufficio' }

export const programConfig: ProgramConfig = {
  id: 'prg-1', name: 'Conciliare', shortName: 'Conciliare', agency: 'ATS', funding: 'call', periodFrom: '2026-09-01', periodTo: '2027-12-31',
  budgetCents: 14_400_000, voucherAmountCents: 30_000, voucherCoveragePercent: 80, cancellationWindowHours: 24, emergencyHeadStartMinutes: 10,
  paymentDaysAfterApproval: 60, territories: [{ id: 'ter-1', name: 'Crema' }],
  services: [{ id: 'svc-play', category: 'play-space', name: 'Spazio gioco', nameEn: 'Play space', description: '', unit: 'hour', ageMinYears: 0, ageMaxYears: 6, acceptsDisability: true, acceptsDsa: true, needsOnly: false }],
  facts: { vouchers: 6, assignedCents: 180_000, liveBookings: 2 },
}
