/**
 * The voucher ledger (issue 10): one child's amount, held, spent and left, and the movements that
 * explain them, newest first, in words; a phone missing some rows says the totals are the program's.
 */
import { beforeEach, describe, expect, it, vi } from 'vitest'
import { db } from '../../db/db.ts'
import { activateDevice } from '../../test/device.ts'
import { booking, lastPlace, otherPlay, parentAuth, pupil, roomy, toddler, toddlerVoucher, world } from '../../test/fixtures.ts'
import { mountWithApp } from '../../test/mount.ts'
import VoucherLedgerView from './VoucherLedgerView.vue'

type W = ReturnType<typeof mountWithApp>['wrapper']
const text = (w: W, id: string) => w.get(`[data-testid="${id}"]`).text().replace(/\s/g, ' ')
const at = (d: string) => `2030-02-0${d}T10:00:00.000Z`

describe('VoucherLedgerView', () => {
  beforeEach(() => activateDevice(db, parentAuth, world({
    // €24 held (requested), €24 spent (delivered), €12 held then given back (cancelled); another child's booking is not here.
    vouchers: [{ ...toddlerVoucher, heldCents: 2400, spentCents: 2400, balanceCents: 25200 }],
    bookings: [
      booking({ id: 'b-held', status: 'requested', sessionId: roomy.id, createdAt: at('3'), updatedAt: at('3') }),
      booking({ id: 'b-done', status: 'delivered', sessionId: lastPlace.id, createdAt: at('1'), updatedAt: at('2'), deliveredAt: at('2') }),
      booking({ id: 'b-back', status: 'cancelled', sessionId: otherPlay.id, quantity: 1, voucherCents: 1200, totalCents: 1200, createdAt: at('4'), updatedAt: at('5') }),
      booking({ id: 'b-other', status: 'requested', childId: pupil.id, sessionId: roomy.id }),
    ],
  })))

  it('shows the totals and every movement that explains them, newest first', async () => {
    const { wrapper } = mountWithApp(VoucherLedgerView, { props: { childId: toddler.id } })
    await vi.waitFor(() => expect(wrapper.find('[data-testid="ledger-totals"]').exists()).toBe(true), { timeout: 5000 })
    expect(wrapper.get('h1').text()).toBe(`Voucher di ${toddler.firstName}`)
    expect([text(wrapper, 'ledger-amount'), text(wrapper, 'ledger-held'), text(wrapper, 'ledger-spent'), text(wrapper, 'ledger-left')])
      .toEqual(['€ 300,00', '€ 24,00', '€ 24,00', '€ 252,00'])
    const movements = wrapper.findAll('[data-testid="ledger-movement"]')
    expect(movements.map((m) => m.attributes('data-kind'))).toEqual(['release', 'hold', 'hold', 'spend'])
    expect(movements[0]!.text()).toContain('Restituito')
    expect(movements[0]!.text()).toContain('+€\u00a012,00')
    expect(movements[1]!.text()).toContain('Impegnato')
    expect(movements[1]!.text()).toContain('−€\u00a012,00')
    expect(movements[3]!.text()).toContain('Speso')
    expect(movements[3]!.text()).toContain('Spazio gioco')
    expect(wrapper.text()).not.toContain('Alcuni movimenti non sono ancora arrivati') // they add up
  })

  it('says when the phone lacks some movements, and when the child is not on this phone', async () => {
    await db.mirror('voucher').put({ ...toddlerVoucher, heldCents: 4800, spentCents: 2400, balanceCents: 22800 })
    const { wrapper } = mountWithApp(VoucherLedgerView, { props: { childId: toddler.id } })
    await vi.waitFor(() => expect(wrapper.find('[data-testid="ledger-totals"]').exists()).toBe(true), { timeout: 5000 })
    expect(text(wrapper, 'ledger-held')).toBe('€ 48,00') // the program's figure, not the movements' sum
    expect(wrapper.get('[role="status"]').text()).toContain('Alcuni movimenti non sono ancora arrivati')
    const other = mountWithApp(VoucherLedgerView, { props: { childId: 'ch-nobody' } }).wrapper
    await vi.waitFor(() => expect(other.text()).toContain('Questo figlio non è su questo telefono.'), { timeout: 5000 })
  })
})
