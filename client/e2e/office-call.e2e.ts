/**
 * A call end to end in Chromium on the real server: the officer creates it on a desktop screen; a
 * family applies in the app (protocol number shown back); the office imports a CSV file with one
 * bad row (reported, nothing of it imported); the officer assigns after a confirmation; the ranking
 * in its office and publishable views; a funded family's printed code activates a new phone, which
 * shows its children and vouchers; the family that applied in the app reads its own score and rank
 * and, not funded, is offered the free consultation. Screenshots: 30-… to 36-….
 */
import { describe, expect, it } from 'vitest'
import { activate } from './api.ts'
import { audit } from './layout.ts'
import { activateIn, phone, shot, useServerAndBrowser } from './harness.ts'

const env = useServerAndBrowser()

/** A datetime-local value, `days` from now, in Rome time. */
const local = (days: number) => new Date(Date.now() + days * 86_400_000).toLocaleString('sv-SE', { timeZone: 'Europe/Rome' }).slice(0, 16).replace(' ', 'T')

describe('a call from applications to vouchers', () => {
  it('goes from the application in the app and the imported file to the ranking, the letter and an activated phone', async () => {
    const { server, browser } = env
    const desk = await browser.newContext({ baseURL: server.url, viewport: { width: 1280, height: 900 }, locale: 'it-IT', timezoneId: 'Europe/Rome' })
    const o = await desk.newPage()
    await activateIn(o, 'OFFICER-1')
    await o.getByTestId('nav-calls').click()
    await o.getByTestId('call-name').fill('Avviso 2027')
    await o.getByTestId('call-budget').fill('600')
    await o.getByTestId('call-opens').fill(local(-1))
    await o.getByTestId('call-closes').fill(local(7))
    await o.getByTestId('call-create').click()
    await expect.poll(() => o.getByTestId('call-1').count(), { timeout: 15_000 }).toBe(1)
    await shot(o, '30-office-calls')

    // The family applies in the app: one child, shift worker.
    const fam = await phone(browser, server.url)
    const p = fam.page
    await activateIn(p, 'FAM-0001')
    await expect.poll(() => p.getByTestId('child-card').count(), { timeout: 15_000 }).toBe(2)
    await p.getByTestId('nav-apply').click()
    await p.getByTestId('apply-child-chd-0001-1').check()
    await p.getByTestId('apply-shift').check()
    await expect.poll(() => p.getByTestId('apply-saved').count()).toBe(1)
    const formProblems = await audit(p, '/apply (form)', 'serious')
    await p.getByTestId('apply-submit').click()
    await expect.poll(() => p.getByTestId('apply-protocol').count(), { timeout: 15_000 }).toBe(1)
    expect(await p.getByTestId('apply-protocol').innerText()).toMatch(/B01-00001/)
    await shot(p, '31-apply-sent')

    // The office imports a file: one family with two children, one bad row.
    await o.getByTestId('call-1').click()
    const csv = [
      'externalRef;applicantName;employer;shiftWorker;householdFragility;iseeCents;submittedAt;firstName;birthDate;disability;dsa',
      'P-7;Laura Negri;ASST Crema;no;sì;900000;2026-11-20T10:00:00+01:00;Pietro;2019-04-04;no;no',
      'P-7;Laura Negri;ASST Crema;no;sì;900000;2026-11-20T10:00:00+01:00;Irene;2016-09-09;no;sì',
      'P-8;Mario Gallo;;no;no;;2026-11-21T10:00:00+01:00;Ugo;2020-02-30;no;no',
    ].join('\n')
    await o.getByTestId('import-file').setInputFiles({ name: 'domande.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) })
    await o.getByTestId('import-go').click()
    await expect.poll(() => o.getByTestId('import-errors').count(), { timeout: 15_000 }).toBe(1)
    expect(await o.getByTestId('import-result').innerText()).toContain('Domande importate: 1')
    expect(await o.getByTestId('import-errors').innerText()).toContain('birthDate')
    await expect.poll(() => o.getByTestId('rank-2').count(), { timeout: 15_000 }).toBe(1)

    // Assign after the confirmation: the imported family (2 children, 28 points) is funded, €600: the budget.
    await o.getByTestId('assign-open').click()
    await expect.poll(() => o.getByTestId('assign-confirm').count()).toBe(1)
    await shot(o, '32-office-assign-confirm')
    await o.getByTestId('assign-confirm-go').click()
    await expect.poll(() => o.getByTestId('assign-result').count(), { timeout: 15_000 }).toBe(1)
    expect(await o.getByTestId('assign-result').innerText()).toContain('Famiglie finanziate: 1')
    await expect.poll(() => o.getByTestId('rank-1').innerText()).toContain('FAM-')
    await shot(o, '33-office-ranking')
    const problems = await audit(o, '/office/calls/:id', 'serious')
    await o.getByRole('tab', { name: 'Vista pubblicabile' }).click()
    const published = await o.getByTestId('ranking-published').innerText()
    expect(published).toContain('B01-00002')
    for (const secret of ['Laura', 'Negri', 'Rossi', 'FAM-']) expect(published).not.toContain(secret)
    await shot(o, '34-office-ranking-published')

    // The letter, and a new phone activated with its code.
    await o.getByTestId('letters-link').click()
    const letter = o.getByTestId('letter-B01-00002')
    await expect.poll(() => letter.locator('img').count(), { timeout: 15_000 }).toBe(1)
    const code = (await letter.getByTestId('letter-code').innerText()).trim()
    expect(code).toMatch(/^FAM-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/)
    await shot(o, '35-office-letter')
    problems.push(...(await audit(o, '/office/calls/:id/letters', 'serious')))
    const newcomer = await phone(browser, server.url)
    await activateIn(newcomer.page, code)
    await expect.poll(() => newcomer.page.getByTestId('child-card').count(), { timeout: 15_000 }).toBe(2)
    expect(await newcomer.page.getByTestId('child-card').first().innerText()).toContain('300')
    expect(await activate(server.url, code)).toMatch(/.{20,}/) // and works for the second parent

    // The family that applied in the app: its own rank and score, not funded, the consultation offered.
    await p.reload()
    await expect.poll(() => p.getByTestId('apply-result').count(), { timeout: 15_000 }).toBe(1)
    expect(await p.getByTestId('apply-result').innerText()).toContain('Posizione 2 su 2')
    expect(await p.getByTestId('apply-consultation').innerText()).toContain('consulenza gratuita')
    await shot(p, '36-apply-result')
    problems.push(...(await audit(p, '/apply (result)', 'serious')))
    expect([...formProblems, ...problems]).toEqual([])
    await desk.close()
    await fam.context.close()
    await newcomer.context.close()
  })
})
