/**
 * The operator's side of an emergency end to end (issue 9), in Chromium on the real server, three
 * phones at 360 px: a parent (FAM-0002), ALTANA's coordinator and Chiara Bettoni, one of ALTANA's
 * operators, on her own phone under her own code.
 *  - The coordinator issues Chiara's code on the Operatori screen; she activates her phone with it.
 *  - The parent asks for a sitter starting now; Chiara's phone receives it live (a poke, no reload),
 *    she presses "Accetto: vado io", and the parent's phone names her.
 *  - A second request, starting in two hours, reaches Chiara first (she is now the family's usual
 *    operator); she accepts it, and her phone says from when she can record it, with no button.
 *  - Without signal she records a PARTIAL delivery of the first (2 of the 3 hours); back online it
 *    syncs, and the parent's voucher page and the coordinator's "what the program will pay", both left
 *    open and untouched, show it (2/3 of the hold spent, the rest back on the voucher).
 *  - A delivery of the second before it starts is refused by the server and said in words on her
 *    phone (her phone's clock is put two hours ahead, as a phone with a wrong clock would be: the only
 *    way the app's own screen lets a delivery before the start through).
 * On the way it looks at each screen as a user would, at 360 px with 100 % and 200 % text: nothing
 * wider than the screen, no touch target under 44 px, and axe on the operator's screens; screenshots
 * of each state go to client/e2e/screenshots/operator/ (gitignored; SHOTS_OPERATOR to change it).
 * Waits are on conditions, never on time: a loaded machine only makes them slower.
 */
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import type { BrowserContext, Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { PROTOCOL_VERSION } from '../../shared/index.ts'
import type { EmergencyRequest } from '../../shared/emergency/emergency.schema.ts'
import { SYNC_INTERVAL_MS } from '../src/sync/triggers.ts'
import { activate, push } from './api.ts'
import { activateIn, issueOperatorCode, phone, SCREENSHOTS, useServerAndBrowser } from './harness.ts'
import { audit, MODES, overflow, setMode, shotOf, smallTargets } from './layout.ts'

const env = useServerAndBrowser()
const SHOTS = process.env.SHOTS_OPERATOR ?? join(SCREENSHOTS, 'operator')
const M360 = MODES.find((m) => m.name === '360')!
const M360_200 = MODES.find((m) => m.name === '360-200')!
const HOUR = 3_600_000
/** Live means a poke, not the phone's interval pull: every "arrives" below is bounded well under it. */
const LIVE_MS = 15_000
const euros = (cents: number) => new Intl.NumberFormat('it-IT', { minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(cents / 100)

/** An instant as the program's wall clock shows it (Europe/Rome): the custom time fields' values. */
function rome(ms: number): { date: string; time: string } {
  const parts = Object.fromEntries(new Intl.DateTimeFormat('en-CA', {
    timeZone: 'Europe/Rome', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23',
  }).formatToParts(new Date(ms)).map((p) => [p.type, p.value]))
  return { date: `${parts.year}-${parts.month}-${parts.day}`, time: `${parts.hour}:${parts.minute}` }
}

async function pulled(url: string, token: string): Promise<{ requests: EmergencyRequest[]; vouchers: Record<string, { heldCents: number; spentCents: number; balanceCents: number }> }> {
  const res = await fetch(`${url}/api/sync/pull`, {
    method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ protocolVersion: PROTOCOL_VERSION, clientGroupId: 'e2e-operator-probe', cookie: null }),
  })
  if (!res.ok) throw new Error(`pull: ${res.status}`)
  const body = (await res.json()) as { changes: { entity: string; op: string; key: string; value?: Record<string, unknown> }[] }
  const puts = (entity: string) => body.changes.filter((c) => c.entity === entity && c.op === 'put')
  return {
    requests: puts('emergencyRequest').map((c) => c.value as unknown as EmergencyRequest),
    /** By child. */
    vouchers: Object.fromEntries(puts('voucher').map((c) => [String(c.value?.childId), c.value as { heldCents: number; spentCents: number; balanceCents: number }])),
  }
}

async function owedCents(url: string, token: string): Promise<number> {
  const res = await fetch(`${url}/api/provider/payments`, { headers: { authorization: `Bearer ${token}` } })
  if (!res.ok) throw new Error(`payments: ${res.status}`)
  return ((await res.json()) as { owedCents: number }).owedCents
}

/** A phone at 360 px, text at 100 %. */
async function phone360(options: { fakeClock?: boolean } = {}) {
  const p = await phone(env.browser, env.server.url)
  // Installed before the app loads; it runs with real time until the test moves it.
  if (options.fakeClock) await p.context.clock.install({ time: Date.now() })
  await setMode(p.context, p.page, M360)
  return p
}

describe('the operator’s side of an emergency', () => {
  it('an operator with their own code takes a request live, records a partial delivery offline that settles the voucher and the provider’s totals, and is refused before the start', async () => {
    mkdirSync(SHOTS, { recursive: true })
    const { server } = env
    const problems: string[] = []
    /** Looks at the screen as a user would, at 100 % and 200 % text, and keeps a screenshot of each. */
    async function look(who: { context: BrowserContext; page: Page }, state: string, opts: { axe?: boolean; from?: string } = {}) {
      for (const mode of [M360, M360_200]) {
        await setMode(who.context, who.page, mode)
        problems.push(...await overflow(who.page, `${state} ${mode.name}`), ...await smallTargets(who.page, `${state} ${mode.name}`))
        if (opts.axe) problems.push(...await audit(who.page, `${state} ${mode.name}`, 'serious'))
        await shotOf(who.page, state, mode, SHOTS, opts.from)
      }
      await setMode(who.context, who.page, M360)
    }

    const [parent, coord, op] = await Promise.all([phone360(), phone360(), phone360({ fakeClock: true })])
    await Promise.all([activateIn(parent.page, 'FAM-0002'), activateIn(coord.page, 'PRV-ALTANA')])
    const famToken = await activate(server.url, 'FAM-0002')
    const prvToken = await activate(server.url, 'PRV-ALTANA')

    // The coordinator issues Chiara Bettoni (on call round the clock, in Crema) her own code.
    const c = coord.page
    await expect.poll(() => c.getByTestId('sync-indicator').getAttribute('data-state'), { timeout: 30_000 }).toBe('synced')
    const code = await issueOperatorCode(c, 'opr-altana-1')
    await look(coord, '01-coordinator-operators-code-issued')

    // Chiara's own phone: her assignments, nothing yet.
    const o = op.page
    await activateIn(o, code)
    await expect.poll(() => o.locator('#inbox-title').innerText(), { timeout: 30_000 }).toContain('assegnazioni')
    await expect.poll(() => o.getByTestId('emergency-inbox-empty').count(), { timeout: 20_000 }).toBe(1)

    // The parent: the first child's button, "custom" from this very minute for three hours, send.
    const p = parent.page
    await expect.poll(() => p.getByTestId('emergency-start').count(), { timeout: 30_000 }).toBe(2)
    await p.getByTestId('emergency-start').first().click()
    const from = Date.now()
    await p.getByTestId('emergency-when-custom').check()
    await p.locator('#em-date').fill(rome(from).date)
    await p.locator('#em-start').fill(rome(from).time)
    await p.locator('#em-end').fill(rome(from + 3 * HOUR).time)
    await p.getByTestId('emergency-territory-ter-crema').check() // no history yet: the area is chosen once, then prefilled
    await p.getByTestId('emergency-address').fill('Via Mazzini 3, Crema — citofono Bianchi, 2° piano')
    await p.getByTestId('emergency-note').fill('Febbre 38,2 da stanotte. Tachipirina 250 alle 10 se serve. Chiavi dalla vicina.')
    await expect.poll(() => p.getByTestId('emergency-estimate').innerText()).toContain('3')
    await look(parent, '02-parent-request-sheet')
    await p.getByTestId('emergency-send').click()
    const statusA = p.getByTestId('emergency-status').first()
    await expect.poll(() => statusA.getAttribute('data-status'), { timeout: 20_000 }).toBe('open')
    const idA = (await statusA.getAttribute('data-request-id'))!
    const a = (await pulled(server.url, famToken)).requests.find((r) => r.id === idA)!
    expect(a).toMatchObject({ status: 'open', stage: 'territory', territoryId: 'ter-crema', familyId: 'fam-0002' })
    const childA = a.childId
    const otherChild = childA === 'chd-0002-1' ? 'chd-0002-2' : 'chd-0002-1'
    expect(await statusA.getByTestId('emergency-stage').innerText()).toContain('Chiesta a tutte le cooperative della zona')
    await look(parent, '03-parent-pending-territory-stage', { from: `[data-request-id="${idA}"]` })

    // Chiara's phone receives it live, with who, where and the note; the coordinator's too.
    const cardA = o.locator(`[data-testid="emergency-request"][data-request-id="${idA}"]`)
    expect(LIVE_MS).toBeLessThan(SYNC_INTERVAL_MS / 2)
    await cardA.waitFor({ timeout: LIVE_MS })
    expect(await cardA.innerText()).toContain('Via Mazzini 3')
    expect(await cardA.getByTestId('emergency-accept').innerText()).toContain('Accetto: vado io')
    await look(op, '04-operator-emergency-request', { axe: true })
    await c.getByTestId('nav-inbox').click()
    await c.locator(`[data-testid="emergency-request"][data-request-id="${idA}"]`).waitFor({ timeout: LIVE_MS })
    await look(coord, '05-coordinator-inbox-emergency')

    // She accepts for herself; the parent's phone names her; the coordinator sees who goes.
    await cardA.getByTestId('emergency-accept').click()
    await p.getByTestId('emergency-accepted').filter({ hasText: 'Chiara Bettoni' }).first().waitFor({ timeout: LIVE_MS })
    // It had started when she accepted: not "arrives at" a time gone by.
    expect(await statusA.getByTestId('emergency-accepted').innerText()).toContain('arriva Chiara Bettoni appena possibile')
    const acceptedA = (await pulled(server.url, famToken)).requests.find((r) => r.id === idA)!
    expect(acceptedA).toMatchObject({ status: 'accepted', providerId: 'prv-altana', operatorId: 'opr-altana-1', operatorName: 'Chiara Bettoni' })
    await look(parent, '06-parent-accepted-operator-named', { from: `[data-request-id="${idA}"]` })
    await expect.poll(() => c.locator(`[data-testid="emergency-taken"][data-request-id="${idA}"]`).innerText(), { timeout: LIVE_MS }).toContain('Va Chiara Bettoni')
    const takenA = o.locator(`[data-testid="emergency-taken"][data-request-id="${idA}"]`)
    await takenA.getByTestId('emergency-deliver').waitFor({ timeout: LIVE_MS }) // started: she may record it
    // Hers: she goes, with the family's note (symptoms, medicine, keys) at hand.
    expect(await takenA.innerText()).toContain('Vai tu')
    expect(await takenA.getByTestId('emergency-taken-note').innerText()).toContain('Tachipirina 250')

    // A second request, in two hours for two: ALTANA is now the family's usual cooperative and
    // Chiara its usual operator, so it reaches her first (the head start).
    const later = Math.ceil((Date.now() + 2 * HOUR) / 300_000) * 300_000
    await p.getByTestId('emergency-when-custom').check()
    await p.locator('#em-date').fill(rome(later).date)
    await p.locator('#em-start').fill(rome(later).time)
    await p.locator('#em-end').fill(rome(later + 2 * HOUR).time)
    expect(await p.getByTestId('emergency-address').inputValue()).toContain('Via Mazzini 3') // prefilled from the last request
    await p.getByTestId('emergency-send').click()
    const statusB = p.locator('[data-testid="emergency-status"][data-status="open"]')
    await statusB.waitFor({ timeout: 20_000 })
    const idB = (await statusB.getAttribute('data-request-id'))!
    expect(idB).not.toBe(idA)
    expect(await statusB.getByTestId('emergency-stage').innerText()).toContain('la vostra cooperativa abituale')
    await look(parent, '07-parent-pending-usual-stage', { from: `[data-request-id="${idB}"]` })
    const cardB = o.locator(`[data-testid="emergency-request"][data-request-id="${idB}"]`)
    await cardB.waitFor({ timeout: LIVE_MS })
    expect(await cardB.innerText()).toContain('riferimento abituale')
    await cardB.getByTestId('emergency-accept').click()
    const takenB = o.locator(`[data-testid="emergency-taken"][data-request-id="${idB}"]`)
    await expect.poll(() => takenB.innerText(), { timeout: LIVE_MS }).toContain('Vai tu')
    await p.getByTestId('emergency-accepted').filter({ hasText: 'Chiara Bettoni alle' }).first().waitFor({ timeout: LIVE_MS }) // not started: "alle …"
    // Before it starts her phone offers no delivery, and says from when.
    expect(await takenB.getByTestId('emergency-deliver').count()).toBe(0)
    expect(await takenB.innerText()).toContain(`Potrai registrare l’erogazione dalle ${rome(later).time}`)
    await look(op, '08-operator-accepted-two-one-not-started', { axe: true })

    // No one available: a request for the second child that no one answers before its deadline.
    const now = Date.now()
    const expiring = `0190eeee-0000-7000-8000-${String(now).slice(-12)}`
    const asked = await push(server.url, famToken, 'e2e-operator-fam', 1, 'emergency.request', {
      requestId: expiring, childId: otherChild, startsAt: new Date(now + HOUR).toISOString(), endsAt: new Date(now + 3 * HOUR).toISOString(),
      deadlineAt: new Date(now + 8_000).toISOString(), // room for the push on a loaded machine: past it, the request is refused
    })
    expect(asked.results[0]).toMatchObject({ status: 'applied' })
    const expired = p.locator(`[data-testid="emergency-status"][data-request-id="${expiring}"]`)
    await expect.poll(() => expired.getAttribute('data-status'), { timeout: 40_000 }).toBe('expired')
    expect(await expired.innerText()).toContain('Nessuna cooperativa ha potuto accettare')
    await look(parent, '09-parent-no-one-available', { from: `[data-request-id="${expiring}"]` })

    // The coordinator's sessions, then "what the program will pay", left open from here on.
    await c.getByTestId('nav-sessions').click()
    await expect.poll(() => c.getByTestId('my-session').count(), { timeout: 15_000 }).toBeGreaterThan(0)
    await look(coord, '10-coordinator-sessions')
    const owedBefore = await owedCents(server.url, prvToken)
    await c.getByTestId('nav-payments').click()
    await expect.poll(() => c.getByTestId('payments-waiting').innerText(), { timeout: 15_000 }).toContain(euros(owedBefore))

    // The parent's voucher page, left open: both requests hold their estimate.
    const before = (await pulled(server.url, famToken))
    const voucherBefore = before.vouchers[childA]!
    const heldA = before.requests.find((r) => r.id === idA)!.heldCents
    const heldB = before.requests.find((r) => r.id === idB)!.heldCents
    expect(heldA).toBeGreaterThan(0)
    expect(voucherBefore.heldCents).toBe(heldA + heldB)
    await p.goto(`/vouchers/${childA}`)
    await expect.poll(() => p.getByTestId('ledger-held').innerText(), { timeout: 20_000 }).toContain(euros(heldA + heldB))

    // Chiara, without signal, records 2 of the 3 hours of the first.
    await op.context.setOffline(true)
    await takenA.getByTestId('emergency-deliver').click()
    await o.getByTestId('deliver-quantity').fill('2')
    await look(op, '11-operator-delivery-form-offline', { axe: true })
    await o.getByTestId('deliver-submit').click()
    await expect.poll(() => takenA.getAttribute('data-status')).toBe('delivered')
    expect(await takenA.innerText()).toContain('Erogazione in attesa di invio')
    await expect.poll(() => o.getByTestId('sync-indicator').getAttribute('data-pending')).toBe('1')
    await look(op, '12-operator-delivered-offline-pending', { axe: true })
    expect((await pulled(server.url, famToken)).requests.find((r) => r.id === idA)).toMatchObject({ status: 'accepted' }) // nothing reached the server

    // Back online: it syncs. The server: 2 of 3 hours, 2/3 of the hold spent, the rest released, by her.
    await op.context.setOffline(false)
    await expect.poll(() => o.getByTestId('sync-indicator').getAttribute('data-state'), { timeout: 30_000 }).toBe('synced')
    const after = await pulled(server.url, famToken)
    const spent = Math.floor((heldA * 2) / 3)
    expect(after.requests.find((r) => r.id === idA)).toMatchObject({ status: 'delivered', deliveredHours: 2, noShow: false, spentCents: spent, heldCents: 0 })
    expect(after.vouchers[childA]).toMatchObject({
      heldCents: heldB, spentCents: voucherBefore.spentCents + spent, balanceCents: voucherBefore.balanceCents + (heldA - spent),
    })
    // The parent's voucher page, untouched: the hold of the first is gone, its 2 hours spent.
    await expect.poll(() => p.getByTestId('ledger-held').innerText(), { timeout: LIVE_MS }).toContain(euros(heldB))
    expect(await p.getByTestId('ledger-spent').innerText()).toContain(euros(voucherBefore.spentCents + spent))
    expect(await p.getByTestId('ledger-left').innerText()).toContain(euros(voucherBefore.balanceCents + (heldA - spent)))
    // …and its movements explain it: the emergency's 2 hours spent, nothing "not yet arrived".
    const spendA = p.locator('[data-testid="ledger-movement"][data-kind="spend"]').first()
    await expect.poll(() => spendA.innerText()).toContain(euros(spent))
    expect(await spendA.innerText()).toMatch(new RegExp(`urgente · [^\\n]*${rome(from).time}`)) // which request: its start
    expect(await p.getByText('Alcuni movimenti non sono ancora arrivati').count()).toBe(0)
    await look(parent, '13-parent-voucher-after-sync')
    // The coordinator's payments screen, untouched: owed grew by the delivered share, with its row.
    expect(await owedCents(server.url, prvToken)).toBe(owedBefore + spent)
    await expect.poll(() => c.getByTestId('payments-waiting').innerText(), { timeout: LIVE_MS }).toContain(euros(owedBefore + spent))
    expect(await c.getByTestId('payments-row').first().innerText()).toContain('urgente')
    await look(coord, '14-coordinator-payments-after-sync')
    expect(await takenA.innerText()).toContain('Erogato: 2 di 3')

    // Before the start: her phone's clock two hours ahead shows the button; the server refuses, in words.
    await o.clock.setSystemTime(later + 10 * 60_000)
    await o.reload()
    await takenB.getByTestId('emergency-deliver').waitFor({ timeout: 30_000 })
    await takenB.getByTestId('emergency-deliver').click()
    await o.getByTestId('deliver-submit').click()
    const refusal = o.getByTestId('refusal-notice').first()
    await refusal.waitFor({ timeout: 30_000 })
    expect(await refusal.innerText()).toContain('Registrazione del servizio urgente: non è andata a buon fine.')
    expect(await refusal.innerText()).toContain('non è ancora iniziato')
    await expect.poll(() => takenB.getAttribute('data-status'), { timeout: 15_000 }).toBe('accepted')
    await look(op, '15-operator-delivery-refused-not-started', { axe: true })
    const end = await pulled(server.url, famToken)
    expect(end.requests.find((r) => r.id === idB)).toMatchObject({ status: 'accepted', heldCents: heldB, deliveredAt: null })
    expect(end.vouchers[childA]).toMatchObject({ heldCents: heldB })
    // The same from her code's own token, straight to the contract: `invalid-state` `not-started`.
    const oprToken = await activate(server.url, code)
    const direct = await push(server.url, oprToken, 'e2e-operator-direct', 1, 'emergency.deliver', { requestId: idB, deliveredHours: 1 })
    expect(direct.results[0]).toMatchObject({ status: 'rejected', code: 'invalid-state', details: { reason: 'not-started' } })

    expect(problems).toEqual([])
    expect([...parent.cspViolations, ...coord.cspViolations, ...op.cspViolations]).toEqual([])
  }, 300_000)
})
