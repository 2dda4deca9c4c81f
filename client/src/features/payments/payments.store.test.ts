/** The payments store's online command: the server's answer, 'offline' without a network, the server's code on a refusal. */
import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { PaymentsAnswer } from '../../../../shared/provider/payments.schema.ts'
import { db } from '../../db/db.ts'
import { activateDevice } from '../../test/device.ts'
import { providerAuth, world } from '../../test/fixtures.ts'
import { usePaymentsStore } from './payments.store.ts'

const answer: PaymentsAnswer = {
  providerId: 'prv-1', paymentDaysAfterApproval: 60, owedCents: 4500, statements: [], rows: [], truncated: false,
  totals: [{ stage: 'delivered', count: 2, voucherCents: 4500 }, { stage: 'statement', count: 0, voucherCents: 0 }, { stage: 'approved', count: 0, voucherCents: 0 }, { stage: 'paid', count: 0, voucherCents: 0 }],
}
let status: number

beforeEach(async () => {
  setActivePinia(createPinia())
  await activateDevice(db, providerAuth, world())
  status = 200
  vi.stubGlobal('fetch', async () => status === 200
    ? new Response(JSON.stringify(answer), { headers: { 'content-type': 'application/json' } })
    : new Response(JSON.stringify({ error: { code: 'forbidden', message: 'x' } }), { status, headers: { 'content-type': 'application/json' } }))
})
afterEach(() => {
  vi.unstubAllGlobals()
  vi.restoreAllMocks()
})

describe('payments store', () => {
  it('keeps the server’s answer, says offline without asking, and keeps the server’s code on a refusal', async () => {
    const payments = usePaymentsStore()
    await payments.load()
    expect(payments.answer).toEqual(answer)
    expect(payments.failure).toBeNull()
    expect(payments.owed).toEqual({ count: 2, voucherCents: 4500 })
    expect(payments.loading).toBe(false)

    status = 403
    await payments.load()
    expect(payments.failure).toBe('forbidden')
    expect(payments.answer).toEqual(answer) // the last answer stays on screen

    vi.spyOn(navigator, 'onLine', 'get').mockReturnValue(false)
    await payments.load()
    expect(payments.failure).toBe('offline')
  })
})
