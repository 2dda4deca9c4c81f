/**
 * What the program will pay, on the coordinator's phone without a network (issue 9): the owed total and
 * the latest deliveries come from the phone's own orders AND its delivered emergencies, counted as the
 * server counts them (payments.service.ts: no no-shows, an emergency's voucher share `spentCents`, a
 * booking paid once `liquidated`). An emergency the server once said was paid stays paid offline.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { EmergencyRequest } from '../../../../shared/emergency/emergency.schema.ts'
import type { PaymentsAnswer } from '../../../../shared/provider/payments.schema.ts'
import { db } from '../../db/db.ts'
import { getMeta, setMeta } from '../../db/meta.ts'
import { formatMoney } from '../../i18n/format.ts'
import { activateDevice } from '../../test/device.ts'
import { booking, provider, providerAuth, world } from '../../test/fixtures.ts'
import { mountWithApp } from '../../test/mount.ts'
import PaymentsView from './PaymentsView.vue'

const emergency = (over: Partial<EmergencyRequest> & Pick<EmergencyRequest, 'id'>): EmergencyRequest => ({
  familyId: 'fam-1', childId: 'ch-1', programId: 'prg-1', territoryId: 'ter-1', startsAt: '2030-02-10T05:00:00Z', endsAt: '2030-02-10T09:00:00Z',
  deadlineAt: '2030-02-10T04:00:00Z', status: 'delivered', providerId: provider.id, operatorId: 'op-1', operatorName: 'Chiara Bettoni',
  acceptedAt: '2030-02-10T03:00:00Z', address: 'Via Mazzini 3', note: null, familyName: 'Famiglia Rossi', childFirstName: 'Giulia',
  childBirthDate: '2026-01-10', voucherId: 'v-1', estimatedCents: 7200, heldCents: 0, stage: 'territory', usualProviderId: null, usualOperatorId: null,
  headStartEndsAt: null, seenCount: 0, deliveredAt: '2030-02-10T09:00:00Z', deliveredHours: 3, noShow: false, deliveredBy: 'operator:op-1',
  spentCents: 5400, createdAt: '2030-02-10T02:00:00Z', updatedAt: '2030-02-10T09:00:00Z', ...over,
})

const phone = world({
  bookings: [
    booking({ id: 'bk-delivered', status: 'delivered', deliveredAt: '2030-03-04T12:00:00Z', voucherCents: 2400 }),
    booking({ id: 'bk-paid', status: 'liquidated', deliveredAt: '2030-01-04T12:00:00Z', voucherCents: 1200, childFirstName: 'Marco' }),
    booking({ id: 'bk-noshow', status: 'delivered', deliveredAt: '2030-03-05T12:00:00Z', noShow: true, voucherCents: 0 }),
  ],
  emergencyRequests: [
    // Partly delivered (3 of 4 hours): its share of the voucher is owed.
    emergency({ id: 'em-partial' }),
    // Delivered in January and since paid (the server's answer says so).
    emergency({ id: 'em-paid', deliveredAt: '2030-01-20T09:00:00Z', spentCents: 3600, deliveredHours: 2, childFirstName: 'Marco' }),
    // A no-show and one still to come: nothing owed.
    emergency({ id: 'em-noshow', noShow: true, deliveredHours: 0, spentCents: 0 }),
    emergency({ id: 'em-accepted', status: 'accepted', deliveredAt: null, deliveredHours: null, spentCents: null, heldCents: 7200 }),
    // Another cooperative's (never on this phone in practice): not this provider's money.
    emergency({ id: 'em-other', providerId: 'prv-2', spentCents: 9900 }),
  ],
})

/** What the server answers for the same deliveries: em-paid is in a paid statement. */
const answer: PaymentsAnswer = {
  providerId: provider.id, paymentDaysAfterApproval: 60, owedCents: 2400 + 5400, statements: [], truncated: false,
  totals: [
    { stage: 'delivered', count: 2, voucherCents: 7800 }, { stage: 'statement', count: 0, voucherCents: 0 },
    { stage: 'approved', count: 0, voucherCents: 0 }, { stage: 'paid', count: 2, voucherCents: 4800 },
  ],
  rows: [
    { bookingId: 'bk-delivered', emergencyRequestId: null, childFirstName: 'Giulia', serviceId: 'svc-play', deliveredAt: '2030-03-04T12:00:00.000Z', deliveredQuantity: 2, voucherCents: 2400, stage: 'delivered', statementId: null, expectedPaymentDate: null },
    { bookingId: null, emergencyRequestId: 'em-partial', childFirstName: 'Giulia', serviceId: null, deliveredAt: '2030-02-10T09:00:00.000Z', deliveredQuantity: 3, voucherCents: 5400, stage: 'delivered', statementId: null, expectedPaymentDate: null },
    { bookingId: null, emergencyRequestId: 'em-paid', childFirstName: 'Marco', serviceId: null, deliveredAt: '2030-01-20T09:00:00.000Z', deliveredQuantity: 2, voucherCents: 3600, stage: 'paid', statementId: 'st-1', expectedPaymentDate: null },
    { bookingId: 'bk-paid', emergencyRequestId: null, childFirstName: 'Marco', serviceId: 'svc-play', deliveredAt: '2030-01-04T12:00:00.000Z', deliveredQuantity: 2, voucherCents: 1200, stage: 'paid', statementId: 'st-1', expectedPaymentDate: null },
  ],
}

let online = false
let asked = 0
beforeEach(async () => {
  await activateDevice(db, providerAuth, phone)
  await setMeta(db, 'lastSyncedAt', '2030-03-06T10:00:00Z')
  online = false
  asked = 0
  vi.spyOn(navigator, 'onLine', 'get').mockImplementation(() => online)
  vi.stubGlobal('fetch', async () => {
    asked++
    return new Response(JSON.stringify(answer), { headers: { 'content-type': 'application/json' } })
  })
})
afterEach(() => {
  vi.unstubAllGlobals()
  vi.restoreAllMocks()
})

const money = (cents: number) => formatMoney(cents, 'it')
const rows = (wrapper: ReturnType<typeof mountWithApp>['wrapper']) => wrapper.findAll('[data-testid="payments-row"]').map((r) => r.text())

describe('PaymentsView offline', () => {
  it('counts the delivered emergencies with the orders, as the server does, and remembers the ones it said were paid', async () => {
    const first = mountWithApp(PaymentsView).wrapper
    await vi.waitFor(() => expect(first.find('[data-testid="payments-offline"]').exists()).toBe(true))
    expect(asked).toBe(0)
    // Never online yet: the phone cannot know em-paid was paid, so it is owed with the rest.
    expect(first.get('[data-testid="payments-waiting"]').text()).toBe(money(2400 + 5400 + 3600))
    expect(first.text()).toContain('Da incassare (3 servizi erogati)')
    const offline = rows(first)
    expect(offline).toHaveLength(4) // bk-delivered, em-partial, em-paid, bk-paid: newest first, no no-show, nothing to come
    expect(offline[0]).toContain('Spazio gioco')
    expect(offline[1]).toMatch(/Giulia · Baby sitting urgente a domicilio/)
    expect(offline[1]).toContain('Erogato')
    expect(offline[1]).toContain(money(5400))
    expect(offline[2]).toContain('Marco · Baby sitting urgente a domicilio')
    expect(offline[3]).toContain('Pagato')
    expect(first.text()).not.toContain(money(9900))
    first.unmount()

    // Online: the server's figures, which the phone's match but for what only the server knows (em-paid paid).
    online = true
    const live = mountWithApp(PaymentsView).wrapper
    await vi.waitFor(() => expect(live.find('[data-testid="payments-stages"]').exists()).toBe(true))
    expect(live.get('[data-testid="payments-waiting"]').text()).toBe(money(7800))
    await vi.waitFor(async () => expect(await getMeta(db, 'paidEmergencies')).toEqual(['em-paid']))
    live.unmount()

    // Offline again (a new screen, as after a reload): the same owed figure as the server's.
    online = false
    const again = mountWithApp(PaymentsView).wrapper
    await vi.waitFor(() => expect(again.find('[data-testid="payments-offline"]').exists()).toBe(true))
    await vi.waitFor(() => expect(again.get('[data-testid="payments-waiting"]').text()).toBe(money(answer.owedCents)))
    expect(again.text()).toContain('Da incassare (2 servizi erogati)')
    const remembered = rows(again)
    expect(remembered[2]).toContain('Marco · Baby sitting urgente a domicilio')
    expect(remembered[2]).toContain('Pagato')
  })
})
