/**
 * Issue 11 in Chromium on the real server: a call assigned through the office API (real import of
 * named applicants with ISEE and a child with a disability), then
 * - the published ranking at /graduatoria/:callId on a phone that never activated: protocol numbers,
 *   points and outcome, nothing that names a family; no axe violation; nothing wider than 360 px;
 * - the officer's letters screen: "new code" on a letter, confirmed, shows a different code; the old
 *   code no longer activates, the new one does. Screenshots 40-… to 42-….
 */
import { describe, expect, it } from 'vitest'
import { activate } from './api.ts'
import { activateIn, phone, shot, useServerAndBrowser } from './harness.ts'
import { audit, overflow } from './layout.ts'

const env = useServerAndBrowser()

async function api(path: string, token: string, body?: unknown) {
  const res = await fetch(`${env.server.url}${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  })
  if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`)
  return res.json() as Promise<Record<string, unknown>>
}

const kid = (firstName: string, birthDate: string, disability = false) => ({ firstName, birthDate, disability, dsa: false })

describe('the published ranking and a reissued code', () => {
  it('shows protocols only to anyone, and the office reissues a lost letter’s code', async () => {
    const { server, browser } = env
    const officer = await activate(server.url, 'OFFICER-1')
    const { id: callId } = await api('/api/office/calls', officer, {
      name: 'Avviso graduatoria', budgetCents: 60_000, voucherCents: 30_000, opensAt: '2026-11-01T09:00:00+01:00', closesAt: '2026-11-30T18:00:00+01:00',
      policy: 'strict', points: { perChild: 10, disabledChild: 8, dsaChild: 4, householdFragility: 5, shiftWorker: 3 },
    }) as { id: string }
    await api(`/api/office/calls/${callId}/applications`, officer, { applications: [
      { externalRef: 'G-1', applicantName: 'Teodolinda Marchesi', shiftWorker: true, householdFragility: false, iseeCents: 1_111_100,
        submittedAt: '2026-11-05T10:00:00+01:00', children: [kid('Arnaldo', '2018-03-01', true)] },
      { externalRef: 'G-2', applicantName: 'Fulgenzio Rota', shiftWorker: false, householdFragility: false, iseeCents: 2_222_200,
        submittedAt: '2026-11-04T10:00:00+01:00', children: [kid('Benvenuta', '2020-02-02')] },
      { externalRef: 'G-3', applicantName: 'Clelia Bassi', shiftWorker: false, householdFragility: false,
        submittedAt: '2026-11-03T10:00:00+01:00', children: [kid('Dionigi', '2009-01-01')] },
    ] })
    await api(`/api/office/calls/${callId}/assign`, officer, {})

    // Anyone, on a 360 px phone that never activated.
    const anyone = await phone(browser, server.url)
    const p = anyone.page
    await p.setViewportSize({ width: 360, height: 780 })
    await p.goto(`/graduatoria/${callId}`)
    await expect.poll(() => p.locator('[data-testid^="ranking-row-"]').count(), { timeout: 15_000 }).toBe(3)
    const text = await p.getByTestId('public-ranking').innerText()
    expect(text).toContain('Avviso graduatoria')
    expect(text).toMatch(/B\d{2}-00001/)
    expect(text).toContain('Finanziata')
    expect(text).toContain('Non finanziata')
    for (const secret of ['Teodolinda', 'Marchesi', 'Rota', 'Bassi', 'Arnaldo', '11.111', '1111100', 'FAM-', 'disabilità']) expect(text).not.toContain(secret)
    expect(await overflow(p, '/graduatoria (360 px)')).toEqual([])
    expect(await audit(p, '/graduatoria')).toEqual([])
    await shot(p, '40-public-ranking')
    await p.goto('/graduatoria/call-nope')
    await expect.poll(() => p.getByTestId('public-ranking').innerText(), { timeout: 15_000 }).toContain('non esiste')
    expect(anyone.cspViolations).toEqual([])

    // The officer's letters: a new code for the first letter.
    const desk = await browser.newContext({ baseURL: server.url, viewport: { width: 1280, height: 900 }, locale: 'it-IT', timezoneId: 'Europe/Rome' })
    const o = await desk.newPage()
    await activateIn(o, 'OFFICER-1')
    await expect.poll(() => o.url(), { timeout: 15_000 }).toContain('/office')
    await o.goto(`/office/calls/${callId}/letters`)
    await expect.poll(() => o.locator('[data-testid^="letter-B"]').count(), { timeout: 15_000 }).toBe(2)
    const letter = o.locator('[data-testid^="letter-B"]').first()
    const oldCode = (await letter.getByTestId('letter-code').innerText()).trim()
    expect(oldCode).toMatch(/^FAM-/)
    await letter.getByTestId('reissue').click()
    await expect.poll(() => letter.getByTestId('reissue-confirm').count()).toBe(1)
    await shot(o, '41-office-letter-reissue-confirm')
    expect(await audit(o, '/office/calls/:id/letters (confirm)', 'serious')).toEqual([])
    await letter.getByTestId('reissue-confirm').click()
    await expect.poll(() => o.getByTestId('reissue-status').innerText(), { timeout: 15_000 }).toContain('Nuovo codice emesso')
    await expect.poll(async () => (await letter.getByTestId('letter-code').innerText()).trim(), { timeout: 15_000 }).not.toBe(oldCode)
    const newCode = (await letter.getByTestId('letter-code').innerText()).trim()
    expect(newCode).toMatch(/^FAM-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/)
    await shot(o, '42-office-letter-reissued')
    await expect(activate(server.url, oldCode)).rejects.toThrow(/activate/)
    expect(await activate(server.url, newCode)).toMatch(/.+/)
    await desk.close()
    await anyone.context.close()
  })
})
