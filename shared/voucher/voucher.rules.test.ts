import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { consume, hold, release, voucherAddsUp } from './voucher.rules.ts'
import type { Voucher } from './voucher.schema.ts'

const fresh = (amountCents: number): Voucher => ({
  id: 'v', childId: 'c', familyId: 'f', programId: 'p', amountCents, heldCents: 0, spentCents: 0, balanceCents: amountCents,
})

describe('voucher rules', () => {
  it('holds, releases and consumes', () => {
    const held = hold(fresh(30000), 4500)
    expect(held).toMatchObject({ ok: true, value: { balanceCents: 25500, heldCents: 4500 } })
    if (!held.ok) return
    expect(release(held.value, 4500)).toMatchObject({ ok: true, value: { balanceCents: 30000, heldCents: 0 } })
    expect(consume(held.value, 4500)).toMatchObject({ ok: true, value: { heldCents: 0, spentCents: 4500 } })
  })
  it('refuses a hold larger than the balance, with the balance in details', () => {
    expect(hold(fresh(1000), 1001)).toEqual({ ok: false, code: 'voucher-insufficient', details: { balanceCents: 1000, neededCents: 1001 } })
  })
  it('never goes below zero and always adds up, for any sequence of operations', () => {
    const op = fc.record({ kind: fc.constantFrom('hold', 'release', 'consume'), cents: fc.integer({ min: 0, max: 40000 }) })
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 50000 }), fc.array(op, { maxLength: 60 }), (amount, ops) => {
        let v = fresh(amount)
        for (const o of ops) {
          const r = o.kind === 'hold' ? hold(v, o.cents) : o.kind === 'release' ? release(v, o.cents) : consume(v, o.cents)
          if (r.ok) v = r.value
          expect(voucherAddsUp(v)).toBe(true)
        }
      }),
    )
  })
})
