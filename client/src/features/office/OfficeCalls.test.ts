/**
 * The office's call screens against a fake server speaking the contract (answers built with the
 * shared schemas' types): the list and the creation form, the import with its bad rows, the
 * assignment behind a confirmation, the two views of the ranking, and the letters with a QR code.
 */
import { flushPromises } from '@vue/test-utils'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { CallSummary, ImportAnswer, RankingAnswer } from '../../../../shared/office/calls.schema.ts'
import { db } from '../../db/db.ts'
import { activateDevice } from '../../test/device.ts'
import { officerAuth } from '../../test/fixtures.ts'
import { mountWithApp } from '../../test/mount.ts'
import OfficeCallLetters from './OfficeCallLetters.vue'
import OfficeCallsView from './OfficeCallsView.vue'
import OfficeCallView from './OfficeCallView.vue'

const CALL: CallSummary = {
  id: 'call-1', number: 1, name: 'Bando 2026', budgetCents: 100_000, voucherCents: 30_000, opensAt: '2026-11-01T08:00:00.000Z',
  closesAt: '2026-11-30T17:00:00.000Z', policy: 'strict', points: { perChild: 10, disabledChild: 8, dsaChild: 4, householdFragility: 5, shiftWorker: 3 },
  applications: 2, assignedAt: null, assignedCents: 0,
}
const entry = (rank: number, funded: boolean, extra: Partial<RankingAnswer['entries'][number]> = {}): RankingAnswer['entries'][number] => ({
  applicationId: `app-${rank}`, protocol: `B01-0000${rank}`, rank, score: 40 - rank * 10, funded, voucherCents: funded ? 60_000 : 0,
  breakdown: { perChild: 20, disabledChild: 8, dsaChild: 0, householdFragility: 0, shiftWorker: 3 }, applicantName: `Richiedente ${rank}`, eligibleChildren: 2, ...extra,
})

type Route = (init: RequestInit | undefined) => unknown
let routes: Record<string, Route>
let sent: { method: string; path: string; body: unknown; type: string | null }[]
beforeEach(async () => {
  await activateDevice(db, officerAuth)
  sent = []
  routes = {
    'GET /api/office/calls': () => ({ calls: [CALL] }),
    'GET /api/office/calls/call-1/ranking': () => ({ budgetCents: 100_000, assignedCents: 0, assigned: false, entries: [entry(1, false), entry(2, false)] }),
  }
  vi.stubGlobal('fetch', async (path: string, init?: RequestInit) => {
    const method = init?.method ?? 'GET'
    const type = new Headers(init?.headers).get('content-type')
    sent.push({ method, path, type, body: typeof init?.body === 'string' && type?.includes('json') ? JSON.parse(init.body) : init?.body })
    const route = routes[`${method} ${path}`]
    if (!route) return new Response(JSON.stringify({ error: { code: 'not-found', message: 'no' } }), { status: 404 })
    return new Response(JSON.stringify(route(init)), { status: 200, headers: { 'content-type': 'application/json' } })
  })
})
afterEach(() => vi.unstubAllGlobals())

/** Until the ranking has arrived (fetch answers take more than microtasks in happy-dom). */
const ranked = (wrapper: { find(s: string): { exists(): boolean } }) => vi.waitFor(() => expect(wrapper.find('[data-testid="rank-1"]').exists()).toBe(true))

describe('OfficeCallsView', () => {
  it('lists the calls and creates one in cents, refusing a closing before the opening without sending it', async () => {
    routes['POST /api/office/calls'] = () => ({ id: 'call-2' })
    const { wrapper } = mountWithApp(OfficeCallsView)
    // The token is read from the device's database first: wait for the list, not for one flush.
    await vi.waitFor(() => expect(wrapper.find('[data-testid="calls-list"]').exists()).toBe(true))
    expect(wrapper.get('[data-testid="calls-list"]').text()).toContain('Bando 2026')
    expect(wrapper.text()).toContain('Da assegnare')
    await wrapper.get('[data-testid="call-name"]').setValue('Bando estate')
    await wrapper.get('[data-testid="call-budget"]').setValue('1.500,50')
    await wrapper.get('[data-testid="call-opens"]').setValue('2026-12-10T09:00')
    await wrapper.get('[data-testid="call-closes"]').setValue('2026-12-01T09:00')
    await wrapper.get('[data-testid="call-form"]').trigger('submit')
    await flushPromises()
    expect(wrapper.find('[data-testid="call-invalid"]').exists()).toBe(true)
    expect(sent.filter((s) => s.method === 'POST')).toEqual([])
    await wrapper.get('[data-testid="call-closes"]').setValue('2026-12-20T18:00')
    await wrapper.get('[data-testid="call-fill"]').setValue(true)
    await wrapper.get('[data-testid="call-form"]').trigger('submit')
    await flushPromises()
    const post = sent.find((s) => s.method === 'POST')
    expect(post?.body).toMatchObject({ name: 'Bando estate', budgetCents: 150_050, voucherCents: 30_000, policy: 'fill', points: { perChild: 10 } })
    expect(Date.parse((post?.body as { closesAt: string }).closesAt)).toBeGreaterThan(Date.parse((post?.body as { opensAt: string }).opensAt))
  })
})

describe('OfficeCallView', () => {
  it('imports a file and lists the rows not imported', async () => {
    const answer: ImportAnswer = { imported: 1, errors: [{ row: 3, code: 'validation', message: 'birthDate: Invalid ISO date' }] }
    routes['POST /api/office/calls/call-1/applications'] = () => answer
    const { wrapper } = mountWithApp(OfficeCallView, { props: { callId: 'call-1' } })
    await ranked(wrapper)
    const input = wrapper.get('[data-testid="import-file"]')
    const file = new File(['applicantName;submittedAt;firstName;birthDate\n'], 'domande.csv', { type: 'text/csv' })
    Object.defineProperty(input.element, 'files', { value: [file] })
    await input.trigger('change')
    await wrapper.get('[data-testid="import-go"]').trigger('submit')
    await vi.waitFor(() => expect(wrapper.find('[data-testid="import-result"]').exists()).toBe(true))
    const post = sent.find((s) => s.method === 'POST')
    expect(post).toMatchObject({ path: '/api/office/calls/call-1/applications', type: 'text/csv; charset=utf-8' })
    expect(wrapper.get('[data-testid="import-result"]').text()).toContain('Domande importate: 1')
    expect(wrapper.get('[data-testid="import-errors"]').text()).toContain('birthDate: Invalid ISO date')
  })

  it('assigns only after the confirmation, then shows the outcome and the letters link', async () => {
    let assigned = false
    routes['POST /api/office/calls/call-1/assign'] = () => ((assigned = true), { funded: 1, notFunded: 1, assignedCents: 60_000, budgetCents: 100_000 })
    routes['GET /api/office/calls/call-1/ranking'] = () => ({
      budgetCents: 100_000, assignedCents: assigned ? 60_000 : 0, assigned,
      entries: [entry(1, assigned, assigned ? { activationCode: 'FAM-AB12-CD34-EF56' } : {}), entry(2, false)],
    })
    const { wrapper } = mountWithApp(OfficeCallView, { props: { callId: 'call-1' } })
    await ranked(wrapper)
    await wrapper.get('[data-testid="assign-open"]').trigger('click')
    await flushPromises()
    expect(sent.some((s) => s.method === 'POST')).toBe(false)
    expect(wrapper.get('[data-testid="assign-confirm"]').text()).toContain('non si può ripetere')
    await wrapper.get('[data-testid="assign-confirm-go"]').trigger('click')
    await vi.waitFor(() => expect(wrapper.find('[data-testid="letters-link"]').exists()).toBe(true))
    expect(sent.filter((s) => s.method === 'POST').map((s) => s.path)).toEqual(['/api/office/calls/call-1/assign'])
    expect(wrapper.get('[data-testid="assign-result"]').text()).toContain('Famiglie finanziate: 1')
    expect(wrapper.find('[data-testid="assign-open"]').exists()).toBe(false)
    expect(wrapper.get('[data-testid="rank-1"]').text()).toContain('FAM-AB12-CD34-EF56')
    expect(wrapper.find('[data-testid="letters-link"]').exists()).toBe(true)
  })

  it('shows an error in words when the server refuses the assignment', async () => {
    vi.stubGlobal('fetch', async (path: string, init?: RequestInit) =>
      init?.method === 'POST'
        ? new Response(JSON.stringify({ error: { code: 'invalid-state', message: 'x', details: { reason: 'already-assigned' } } }), { status: 409 })
        : new Response(JSON.stringify(routes[`GET ${path}`]?.(init)), { status: 200 }))
    const { wrapper } = mountWithApp(OfficeCallView, { props: { callId: 'call-1' } })
    await ranked(wrapper)
    await wrapper.get('[data-testid="assign-open"]').trigger('click')
    await wrapper.get('[data-testid="assign-confirm-go"]').trigger('click')
    await vi.waitFor(() => expect(wrapper.find('[data-testid="call-error"]').exists()).toBe(true))
    expect(wrapper.get('[data-testid="call-error"]').text().length).toBeGreaterThan(5)
  })

  it('publishes protocol numbers only: no names, no points in detail, no codes', async () => {
    routes['GET /api/office/calls/call-1/ranking'] = () => ({
      budgetCents: 100_000, assignedCents: 60_000, assigned: true, entries: [entry(1, true, { activationCode: 'FAM-AB12-CD34-EF56' }), entry(2, false)],
    })
    const { wrapper } = mountWithApp(OfficeCallView, { props: { callId: 'call-1' } })
    await ranked(wrapper)
    expect(wrapper.get('[data-testid="ranking-office"]').text()).toContain('Richiedente 1')
    await wrapper.get('[data-tab="published"]').trigger('click')
    const published = wrapper.get('[data-testid="ranking-published"]').text()
    expect(published).toContain('B01-00001')
    expect(published).toContain('Finanziata')
    expect(published).toContain('Non finanziata')
    for (const secret of ['Richiedente', 'FAM-AB12', 'disabilità', '€']) expect(published).not.toContain(secret)
  })
})

describe('OfficeCallLetters', () => {
  it('prints one letter per funded family with its code as text and as a QR code', async () => {
    routes['GET /api/office/calls/call-1/ranking'] = () => ({
      budgetCents: 100_000, assignedCents: 60_000, assigned: true, entries: [entry(1, true, { activationCode: 'FAM-AB12-CD34-EF56' }), entry(2, false)],
    })
    const { wrapper } = mountWithApp(OfficeCallLetters, { props: { callId: 'call-1' } })
    await flushPromises()
    await vi.waitFor(() => expect(wrapper.find('[data-testid="letter-B01-00001"] img').exists()).toBe(true))
    const letter = wrapper.get('[data-testid="letter-B01-00001"]')
    expect(letter.get('[data-testid="letter-code"]').text()).toBe('FAM-AB12-CD34-EF56')
    expect(letter.text()).toContain('Richiedente 1')
    const img = letter.get('img')
    expect(img.attributes('alt')).toContain('FAM-AB12-CD34-EF56')
    expect(decodeURIComponent(img.attributes('src') ?? '')).toMatch(/^data:image\/svg\+xml;charset=utf-8,<svg/)
    expect(wrapper.find('[data-testid="letter-B01-00002"]').exists()).toBe(false)
  })
})
