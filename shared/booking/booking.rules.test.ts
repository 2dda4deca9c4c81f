import { describe, expect, it } from 'vitest'
import { can, holdsResources, priceOf, transition } from './booking.rules.ts'

describe('priceOf', () => {
  it('multiplies unit price by quantity, in cents', () => {
    expect(priceOf(1500, 3, 100)).toEqual({ unitPriceCents: 1500, totalCents: 4500, voucherCents: 4500, copayCents: 0 })
  })
  it('splits voucher part and co-pay when the voucher covers a share', () => {
    const p = priceOf(1333, 3, 70)
    expect(p.totalCents).toBe(3999)
    expect(p.voucherCents).toBe(2799)
    expect(p.voucherCents + p.copayCents).toBe(p.totalCents)
  })
})

describe('transition', () => {
  it('follows the booking lifecycle', () => {
    expect(transition('requested', 'confirm')).toEqual({ ok: true, value: 'confirmed' })
    expect(transition('confirmed', 'deliver')).toEqual({ ok: true, value: 'delivered' })
    expect(transition('delivered', 'liquidate')).toEqual({ ok: true, value: 'liquidated' })
    expect(transition('requested', 'cancel')).toEqual({ ok: true, value: 'cancelled' })
  })
  it('refuses moves that skip or go back', () => {
    expect(transition('requested', 'deliver')).toMatchObject({ ok: false, code: 'invalid-state' })
    expect(transition('cancelled', 'confirm')).toMatchObject({ ok: false, code: 'invalid-state' })
    expect(transition('declined', 'cancel')).toMatchObject({ ok: false, code: 'invalid-state' })
  })
  it('only requested and confirmed hold places and money', () => {
    expect(['requested', 'confirmed'].every((s) => holdsResources(s as never))).toBe(true)
    expect(['declined', 'cancelled', 'delivered', 'liquidated'].some((s) => holdsResources(s as never))).toBe(false)
  })
})

describe('can', () => {
  it('says which actions a status allows, as the transitions do', () => {
    const statuses = ['requested', 'confirmed', 'declined', 'cancelled', 'delivered', 'liquidated'] as const
    const actions = ['confirm', 'decline', 'cancel', 'deliver', 'liquidate'] as const
    for (const s of statuses) for (const a of actions) expect(can(a, s), `${a} on ${s}`).toBe(transition(s, a).ok)
    expect(can('cancel', 'confirmed')).toBe(true)
    expect(can('cancel', 'delivered')).toBe(false)
  })
})
