/** The activity log's screen against a stand-in for the office API (the real one: sync-server's audit.test.ts). */
import { flushPromises } from '@vue/test-utils'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { AUDIT_ENTITIES, type AuditEntry } from '../../../../shared/office/audit.schema.ts'
import { db } from '../../db/db.ts'
import { loadStaffWords, setLocale } from '../../i18n/index.ts'
import { activateDevice } from '../../test/device.ts'
import { officerAuth, world } from '../../test/fixtures.ts'
import { mountWithApp } from '../../test/mount.ts'
import { useSyncStore } from '../sync/sync.store.ts'
import OfficeAuditView from './OfficeAuditView.vue'

const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } })

/** 120 entries, ids 120..1 newest first; the 120th is a statement's payment, the rest alternate. */
const all: AuditEntry[] = Array.from({ length: 120 }, (_, i) => {
  const id = 120 - i
  if (id === 120) {
    return {
      id, at: '2026-11-24T15:05:00.000Z', personId: 'code-off-2', role: 'officer', action: 'statement.pay', entity: 'statement', entityId: 'stm-1',
      details: { providerId: 'prv-1', from: '2026-09-01', to: '2026-10-31', paidAt: '2026-11-23T23:00:00.000Z', reference: 'CRO 0001234', bookings: 37, emergencyRequests: 0, rowCount: 37, totalCents: 123_450 },
    }
  }
  return id % 2
    ? { id, at: '2026-11-20T08:00:00.000Z', personId: 'code-prv-1', role: 'provider', action: 'booking.confirm', entity: 'booking', entityId: `bkg-${id}`, details: {} }
    : { id, at: '2026-11-19T08:00:00.000Z', personId: 'code-off-1', role: 'officer', action: 'weird.thing', entity: 'gadget', entityId: `gdg-${id}`, details: { flag: true, ids: ['a', 'b'] } }
})
let requests: URL[]

beforeEach(async () => {
  await activateDevice(db, officerAuth, world())
  requests = []
  vi.stubGlobal('fetch', async (path: string) => {
    const url = new URL(path, 'http://x')
    if (url.pathname === '/api/office/providers') return json({ providers: [{ id: 'prv-1', name: 'Coop Sole', shortName: 'Sole', territoryId: 't', kind: 'cooperative', suspendedAt: null, suspensionReason: null, services: [], openOrders: 0 }] })
    if (url.pathname !== '/api/office/audit') return json({ error: { code: 'not-found', message: 'x' } }, 404)
    requests.push(url)
    const q = url.searchParams
    const limit = Number(q.get('limit'))
    const rows = all.filter((e) => (!q.get('entity') || e.entity === q.get('entity')) && (!q.get('entityId') || e.entityId === q.get('entityId'))
      && (!q.get('personId') || e.personId === q.get('personId')) && (!q.get('before') || e.id < Number(q.get('before'))))
    const entries = rows.slice(0, limit)
    return json({ entries, before: rows.length > limit ? entries[entries.length - 1]!.id : null })
  })
})
afterEach(() => {
  vi.unstubAllGlobals()
  vi.restoreAllMocks()
})

async function open(url: string, attachTo?: HTMLElement) {
  const app = mountWithApp(OfficeAuditView, attachTo ? { attachTo } : {})
  await app.router.push(url)
  return app
}

describe('OfficeAuditView', () => {
  it('shows the log newest first in words (a payment summarised, unknown codes as codes, no JSON) and pages older entries with the cursor', async () => {
    const { wrapper } = await open('/office/audit')
    await vi.waitFor(() => expect(wrapper.findAll('[data-testid="audit-entry"]').length).toBe(50))
    const rows = wrapper.findAll('[data-testid="audit-entry"]')
    const pay = rows[0]!
    expect(pay.get('[data-testid="audit-action"]').text()).toBe('Rendiconto pagato')
    expect(pay.text()).toContain('24/11/2026, 16:05') // Rome's wall clock
    expect(pay.get('[data-testid="audit-who"]').text()).toBe('Ufficio del programma · code-off-2')
    expect(pay.get('[data-testid="audit-object"]').text()).toBe('Rendiconto stm-1')
    const details = pay.get('[data-testid="audit-details"]').text()
    for (const s of ['Riferimento del bonifico: CRO 0001234', '37 prenotazioni', 'Totale €\u00a01234,50', 'Periodo:', 'Pagato il 24/11/2026']) expect(details).toContain(s)
    await vi.waitFor(() => expect(pay.get('[data-testid="audit-details"]').text()).toContain('Fornitore: Coop Sole'))
    expect(details).not.toContain('richiest') // no urgent requests: not said
    expect(details).not.toMatch(/[{}"]/)
    expect(rows[2]!.get('[data-testid="audit-action"]').text()).toBe('weird.thing')
    expect(rows[2]!.get('[data-testid="audit-details"]').text()).toBe('flag: sìids: a, b')
    expect(wrapper.get('[data-testid="audit-count"]').text()).toBe('50 voci mostrate; ce ne sono di più vecchie.')

    await wrapper.get('[data-testid="audit-more"]').trigger('click')
    await vi.waitFor(() => expect(wrapper.findAll('[data-testid="audit-entry"]').length).toBe(100))
    expect(requests.at(-1)!.searchParams.get('before')).toBe('71')
    await wrapper.get('[data-testid="audit-more"]').trigger('click')
    await vi.waitFor(() => expect(wrapper.findAll('[data-testid="audit-entry"]').length).toBe(120))
    const ids = wrapper.findAll('[data-testid="audit-object"]').map((a) => a.text())
    expect(new Set(ids).size).toBe(120) // no page twice, none skipped
    expect(wrapper.find('[data-testid="audit-more"]').exists()).toBe(false)
    expect(wrapper.get('[data-testid="audit-count"]').text()).toBe('120 voci mostrate')
  })

  it('filters from the URL, from the form (into the URL) and from a row’s person; paging keeps the filter', async () => {
    const { wrapper, router } = await open('/office/audit?entity=statement&entityId=stm-1')
    await vi.waitFor(() => expect(wrapper.findAll('[data-testid="audit-entry"]').length).toBe(1))
    expect(requests.at(-1)!.searchParams.get('entity')).toBe('statement')
    expect(requests.at(-1)!.searchParams.get('entityId')).toBe('stm-1')
    expect((wrapper.get('[data-testid="audit-entity"]').element as HTMLSelectElement).value).toBe('statement')
    expect((wrapper.get('[data-testid="audit-entity-id"]').element as HTMLInputElement).value).toBe('stm-1')
    expect(wrapper.get('caption').text()).toBe('Registro attività filtrato: Rendiconto stm-1')

    await wrapper.get('[data-testid="audit-entity"]').setValue('')
    await wrapper.get('[data-testid="audit-entity-id"]').setValue('')
    await wrapper.get('[data-testid="audit-person"]').setValue('code-off-1')
    await wrapper.get('[data-testid="audit-filters"]').trigger('submit')
    await vi.waitFor(() => expect(router.currentRoute.value.query).toEqual({ personId: 'code-off-1' }))
    await vi.waitFor(() => expect(wrapper.findAll('[data-testid="audit-entry"]').length).toBe(50))
    expect(wrapper.findAll('[data-testid="audit-entry"]').every((r) => r.attributes('data-action') === 'weird.thing')).toBe(true)
    await wrapper.get('[data-testid="audit-more"]').trigger('click')
    await vi.waitFor(() => expect(wrapper.findAll('[data-testid="audit-entry"]').length).toBe(59))
    expect(requests.at(-1)!.searchParams.get('personId')).toBe('code-off-1')

    await wrapper.get('[data-testid="audit-clear"]').trigger('click')
    await vi.waitFor(() => expect(router.currentRoute.value.query).toEqual({}))
    await vi.waitFor(() => expect(wrapper.findAll('[data-testid="audit-entry"]').length).toBe(50))
    await wrapper.findAll('[data-testid="audit-who"]')[1]!.trigger('click') // a provider's code
    await vi.waitFor(() => expect(router.currentRoute.value.query).toEqual({ personId: 'code-prv-1' }))
    await flushPromises()
    await vi.waitFor(() => expect(wrapper.findAll('[data-testid="audit-entry"]').every((r) => r.attributes('data-action') === 'booking.confirm')).toBe(true))
    expect((wrapper.get('[data-testid="audit-person"]').element as HTMLInputElement).value).toBe('code-prv-1')
  })

  it('offers every kind the writers log (shared AUDIT_ENTITIES) by its word, in alphabetical order; an unknown kind from the URL as itself', async () => {
    const { wrapper } = await open('/office/audit?entity=gadget')
    await vi.waitFor(() => expect(wrapper.findAll('[data-testid="audit-entry"]').length).toBe(50))
    const options = wrapper.findAll('[data-testid="audit-entity"] option').slice(1) // the first: any kind
    expect(options.map((o) => o.attributes('value'))).toEqual(expect.arrayContaining([...AUDIT_ENTITIES, 'gadget']))
    expect(options).toHaveLength(AUDIT_ENTITIES.length + 1)
    const known = options.filter((o) => o.attributes('value') !== 'gadget').map((o) => o.text())
    for (const [i, word] of known.entries()) expect(word).not.toBe(options[i]!.attributes('value')) // a word, never the code
    expect(known).toEqual([...known].sort((a, b) => a.localeCompare(b, 'it')))
    expect(known).toContain('Iscrizione alla lista d’attesa') // waitlistEntry
    expect(options.at(-1)!.text()).toBe('gadget')
    expect((wrapper.get('[data-testid="audit-entity"]').element as HTMLSelectElement).value).toBe('gadget')
  })

  it('offline: says so once, takes the filter into the URL all the same, and reads it when the connection is back', async () => {
    let online = false
    vi.spyOn(navigator, 'onLine', 'get').mockImplementation(() => online)
    const { wrapper, router } = await open('/office/audit?entity=statement&entityId=stm-1')
    const sync = useSyncStore()
    sync.engineState = { ...sync.engineState, online: false }
    await vi.waitFor(() => expect(wrapper.find('[data-testid="audit-offline"]').exists()).toBe(true))
    expect(wrapper.get('[data-testid="audit-offline"]').text()).toContain('Il filtro resta')
    expect(wrapper.find('[data-testid="audit-error"]').exists()).toBe(false) // not said twice
    expect(wrapper.findAll('[role="alert"]')).toHaveLength(0)
    expect(requests).toHaveLength(0)

    await wrapper.get('[data-testid="audit-entity"]').setValue('')
    await wrapper.get('[data-testid="audit-entity-id"]').setValue('')
    await wrapper.get('[data-testid="audit-person"]').setValue('code-off-2')
    await wrapper.get('[data-testid="audit-filters"]').trigger('submit')
    await vi.waitFor(() => expect(router.currentRoute.value.query).toEqual({ personId: 'code-off-2' }))
    await flushPromises()
    expect(requests).toHaveLength(0)
    expect((wrapper.get('[data-testid="audit-person"]').element as HTMLInputElement).value).toBe('code-off-2')

    online = true
    sync.engineState = { ...sync.engineState, online: true }
    await vi.waitFor(() => expect(wrapper.findAll('[data-testid="audit-entry"]').length).toBe(1))
    expect(requests.at(-1)!.searchParams.get('personId')).toBe('code-off-2')
    expect(wrapper.find('[data-testid="audit-offline"]').exists()).toBe(false)
    // The same filter again is a retry (the URL stays as it is).
    await wrapper.get('[data-testid="audit-filters"]').trigger('submit')
    await vi.waitFor(() => expect(requests).toHaveLength(2))
  })

  it('after "Carica altri" the keyboard goes on from the first entry it brought', async () => {
    const host = document.body.appendChild(document.createElement('div'))
    const { wrapper } = await open('/office/audit', host)
    await vi.waitFor(() => expect(wrapper.findAll('[data-testid="audit-entry"]').length).toBe(50))
    await wrapper.get('[data-testid="audit-more"]').trigger('click')
    await vi.waitFor(() => expect(wrapper.findAll('[data-testid="audit-entry"]').length).toBe(100))
    await vi.waitFor(() => expect(document.activeElement).toBe(wrapper.findAll('[data-testid="audit-entry"]')[50]!.get('th').element))
    wrapper.unmount()
    host.remove()
  })

  it('names a provider filtered by (a provider screen’s link) in the caption', async () => {
    const entry: AuditEntry = { id: 1, at: '2026-11-20T08:00:00.000Z', personId: 'code-off-1', role: 'officer', action: 'accreditation.set', entity: 'accreditation', entityId: 'acc-prv-1-svc-1', details: { maxUnitPriceCents: 1800 } }
    const real = globalThis.fetch
    vi.stubGlobal('fetch', async (path: string) => (path.startsWith('/api/office/audit') ? json({ entries: [entry], before: null }) : real(path)))
    const { wrapper } = await open('/office/audit?entity=provider&entityId=prv-1')
    await vi.waitFor(() => expect(wrapper.findAll('[data-testid="audit-entry"]')).toHaveLength(1))
    await vi.waitFor(() => expect(wrapper.get('caption').text()).toBe('Registro attività filtrato: Fornitore Coop Sole'))
  })

  it('says when nothing matches, and words a refusal', async () => {
    const { wrapper } = await open('/office/audit?entity=statement&entityId=stm-none')
    await vi.waitFor(() => expect(wrapper.text()).toContain('Nessuna voce per questi filtri.'))
    expect(wrapper.find('[data-testid="audit-table"]').exists()).toBe(false)
    // Said once on screen; the count ("Nessuna voce") is still announced, for a screen reader only.
    expect(wrapper.get('[data-testid="audit-count"]').classes()).toContain('sr-only')
    vi.stubGlobal('fetch', async () => json({ error: { code: 'validation', message: 'bad' } }, 400))
    const other = await open('/office/audit?personId=x')
    await vi.waitFor(() => expect(other.wrapper.find('[data-testid="audit-error"]').exists()).toBe(true))
  })

  it('speaks English too', async () => {
    const { wrapper } = await open('/office/audit?entity=statement&entityId=stm-1')
    await loadStaffWords()
    await setLocale('en')
    await vi.waitFor(() => expect(wrapper.find('[data-testid="audit-action"]').exists()).toBe(true))
    await vi.waitFor(() => expect(wrapper.get('[data-testid="audit-action"]').text()).toBe('Statement paid'))
    expect(wrapper.get('[data-testid="audit-details"]').text()).toContain('Transfer reference: CRO 0001234')
    expect(wrapper.get('[data-testid="audit-object"]').text()).toBe('Statement stm-1')
    expect(wrapper.get('[data-testid="audit-count"]').text()).toBe('1 entry shown')
    await setLocale('it')
  })
})
