import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { Points } from './calls.schema.ts'
import { assign, assignable, eligibleChildren, rank, scoreOf, type Rankable } from './ranking.rules.ts'

const POINTS: Points = { perChild: 10, disabledChild: 7, dsaChild: 5, householdFragility: 3, shiftWorker: 2 }
const CLOSES = '2026-12-31'
const kid = (birthDate: string, extra: Partial<{ disability: boolean; dsa: boolean }> = {}) => ({ birthDate, disability: false, dsa: false, ...extra })

let n = 0
const app = (over: Partial<Rankable> = {}): Rankable => ({
  id: `a${++n}`,
  protocol: `B01-${String(n).padStart(5, '0')}`,
  shiftWorker: false,
  householdFragility: false,
  submittedAt: '2026-12-01T10:00:00+01:00',
  children: [kid('2020-05-05')],
  ...over,
})
const order = (apps: Rankable[]) => rank(apps, POINTS, CLOSES).map((r) => r.application.id)

describe('eligibility', () => {
  it('counts children aged 0–16 on the closing day', () => {
    const a = app({ children: [kid('2010-01-01'), kid('2009-12-31'), kid('2010-12-31'), kid('2026-12-31'), kid('2027-01-01')] })
    // 2010-01-01: 16 on 31 Dec 2026; 2009-12-31: turned 17 that day; born on the closing day: 0; not yet born: no.
    expect(eligibleChildren(a, CLOSES).map((c) => c.birthDate)).toEqual(['2010-01-01', '2010-12-31', '2026-12-31'])
  })
})

describe('scoreOf', () => {
  it('adds each criterion, eligible children only', () => {
    const a = app({
      shiftWorker: true,
      householdFragility: true,
      children: [kid('2018-01-01', { disability: true }), kid('2015-01-01', { dsa: true }), kid('2000-01-01', { disability: true, dsa: true })],
    })
    expect(scoreOf(a, POINTS, CLOSES)).toEqual({
      score: 20 + 7 + 5 + 3 + 2,
      breakdown: { perChild: 20, disabledChild: 7, dsaChild: 5, householdFragility: 3, shiftWorker: 2 },
      eligibleChildren: 2,
    })
  })
})

describe('rank', () => {
  it('puts a higher score first', () => {
    const low = app()
    const high = app({ shiftWorker: true })
    expect(order([low, high])).toEqual([high.id, low.id])
  })

  it('breaks a tie by lower ISEE, a missing ISEE last', () => {
    const none = app()
    const rich = app({ iseeCents: 3_000_000 })
    const poor = app({ iseeCents: 800_000 })
    expect(order([none, rich, poor])).toEqual([poor.id, rich.id, none.id])
  })

  it('then by earlier submission (instants, whatever the offset)', () => {
    const later = app({ iseeCents: 100, submittedAt: '2026-12-01T10:00:00+01:00' })
    const earlier = app({ iseeCents: 100, submittedAt: '2026-12-01T09:30:00Z' }) // 10:30 in Rome: later
    const first = app({ iseeCents: 100, submittedAt: '2026-12-01T08:00:00Z' })
    expect(order([later, earlier, first])).toEqual([first.id, later.id, earlier.id])
  })

  it('then by protocol, numerically', () => {
    const p10 = app({ protocol: 'B01-10' })
    const p9 = app({ protocol: 'B01-9' })
    expect(order([p10, p9])).toEqual([p9.id, p10.id])
  })

  it('numbers ranks 1, 2, 3…', () => {
    expect(rank([app(), app(), app()], POINTS, CLOSES).map((r) => r.rank)).toEqual([1, 2, 3])
  })
})

describe('assign', () => {
  // Scores 37 (two children + every criterion), 30 (three children), 10 (one child), 10 (one child, later).
  const big = app({ children: [kid('2018-01-01', { disability: true }), kid('2016-01-01', { dsa: true })], shiftWorker: true, householdFragility: true })
  const two = app({ children: [kid('2018-01-01'), kid('2019-01-01'), kid('2020-01-01')] })
  const one = app({ submittedAt: '2026-12-01T08:00:00Z' })
  const oneLater = app({ submittedAt: '2026-12-02T08:00:00Z' })
  const ranked = rank([oneLater, two, one, big], POINTS, CLOSES)

  it('strict stops at the first family that does not fit', () => {
    // 2 × €300 used of €1,200: €600 left, the next family (3 × €300) does not fit, so nobody after it.
    const a = assign(ranked, { budgetCents: 120_000, voucherCents: 30_000, policy: 'strict' })
    expect(a.entries.map((e) => [e.application.id, e.funded, e.voucherCents])).toEqual([
      [big.id, true, 60_000], [two.id, false, 0], [one.id, false, 0], [oneLater.id, false, 0],
    ])
    expect(a).toMatchObject({ funded: 1, notFunded: 3, assignedCents: 60_000, budgetCents: 120_000 })
  })

  it('fill skips that family and funds later ones that fit', () => {
    const a = assign(ranked, { budgetCents: 120_000, voucherCents: 30_000, policy: 'fill' })
    expect(a.entries.map((e) => e.funded)).toEqual([true, false, true, true])
    expect(a).toMatchObject({ funded: 3, notFunded: 1, assignedCents: 120_000 })
  })

  it('funds everyone when the budget is enough, and exactly to the cent', () => {
    const a = assign(ranked, { budgetCents: 210_000, voucherCents: 30_000, policy: 'strict' })
    expect(a).toMatchObject({ funded: 4, notFunded: 0, assignedCents: 210_000 })
  })

  it('never funds a family without an eligible child, and it does not stop a strict assignment', () => {
    const grown = app({ children: [kid('2000-01-01')], shiftWorker: true, householdFragility: true })
    const r = rank([grown, one], POINTS, CLOSES)
    expect(r[0]?.application.id).toBe(one.id) // 10 points vs 5
    const a = assign(rank([grown, app({ children: [kid('2000-01-01')], shiftWorker: true, householdFragility: true, protocol: 'A' }), one], { ...POINTS, perChild: 1 }, CLOSES), { budgetCents: 30_000, voucherCents: 30_000, policy: 'strict' })
    expect(a.entries.map((e) => [e.eligibleChildren, e.funded])).toEqual([[0, false], [0, false], [1, true]])
  })

  it('is refused a second time', () => {
    expect(assignable({ assignedAt: null })).toEqual({ ok: true, value: true })
    expect(assignable({ assignedAt: '2026-12-31T10:00:00Z' })).toEqual({ ok: false, code: 'invalid-state', details: { reason: 'already-assigned' } })
  })
})

describe('assignment properties', () => {
  const child = fc.record({
    birthDate: fc.constantFrom('2005-06-01', '2010-01-01', '2015-03-03', '2020-09-09', '2026-01-01', '2027-01-01'),
    disability: fc.boolean(),
    dsa: fc.boolean(),
  })
  const application = fc.record({
    shiftWorker: fc.boolean(),
    householdFragility: fc.boolean(),
    iseeCents: fc.option(fc.integer({ min: 0, max: 5_000_000 }), { nil: undefined }),
    submittedAt: fc.integer({ min: 0, max: 1000 }).map((m) => new Date(Date.UTC(2026, 11, 1) + m * 60_000).toISOString()),
    children: fc.array(child, { minLength: 1, maxLength: 4 }),
  })
  const terms = fc.record({
    budgetCents: fc.integer({ min: 0, max: 3_000_000 }),
    voucherCents: fc.integer({ min: 1, max: 100_000 }),
    policy: fc.constantFrom('strict' as const, 'fill' as const),
  })

  it('assigns no more than the budget, funds down the order, and adds up', () => {
    fc.assert(
      fc.property(fc.array(application, { maxLength: 40 }), terms, (apps, t) => {
        const withIds = apps.map((a, i) => ({ ...a, id: `x${i}`, protocol: `P-${i}` }))
        const ranked = rank(withIds, POINTS, CLOSES)
        const a = assign(ranked, t)
        expect(a.assignedCents).toBeLessThanOrEqual(t.budgetCents)
        expect(a.assignedCents).toBe(a.entries.reduce((s, e) => s + e.voucherCents, 0))
        expect(a.funded + a.notFunded).toBe(apps.length)
        // Scores never rise down the ranking.
        for (let i = 1; i < ranked.length; i++) expect(ranked[i]!.score).toBeLessThanOrEqual(ranked[i - 1]!.score)
        for (const e of a.entries) expect(e.voucherCents).toBe(e.funded ? e.eligibleChildren * t.voucherCents : 0)
        if (t.policy === 'strict') {
          // No family with something to fund is funded after one that was refused for the budget.
          const firstRefused = a.entries.findIndex((e) => !e.funded && e.eligibleChildren > 0)
          if (firstRefused >= 0) expect(a.entries.slice(firstRefused).some((e) => e.funded)).toBe(false)
        } else {
          // fill: a family left out did not fit in what was left when its turn came.
          let left = t.budgetCents
          for (const e of a.entries) {
            if (e.funded) left -= e.voucherCents
            else if (e.eligibleChildren > 0) expect(e.eligibleChildren * t.voucherCents).toBeGreaterThan(left)
          }
        }
      }),
    )
  })
})
