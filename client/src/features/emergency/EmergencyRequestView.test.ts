import { flushPromises } from '@vue/test-utils'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { EmergencyRequest } from '../../../../shared/index.ts'
import { db } from '../../db/db.ts'
import { setMeta } from '../../db/meta.ts'
import { activateDevice } from '../../test/device.ts'
import { parentAuth, provider, territory, world } from '../../test/fixtures.ts'
import { mountWithApp } from '../../test/mount.ts'
import { useViewStore } from '../../view/view.store.ts'
import { useSyncStore } from '../sync/sync.store.ts'
import EmergencyRequestView from './EmergencyRequestView.vue'

const last: EmergencyRequest = {
  id: 'em-old', familyId: 'fam-1', childId: 'ch-1', programId: 'prg-1', territoryId: 'ter-1', startsAt: '2030-01-01T04:30:00.000Z',
  endsAt: '2030-01-01T13:00:00.000Z', deadlineAt: '2030-01-01T03:30:00.000Z', status: 'accepted', providerId: provider.id, operatorId: 'op-1',
  operatorName: 'Chiara Bettoni', acceptedAt: '2030-01-01T03:00:00.000Z', address: 'Via Mazzini 3, Crema', note: 'Chiavi dalla vicina',
  familyName: 'Famiglia Rossi', childFirstName: 'Giulia', childBirthDate: '2027-01-01', voucherId: 'v-1', estimatedCents: 16200, heldCents: 16200,
  stage: 'territory', usualProviderId: null, usualOperatorId: null, headStartEndsAt: null, seenCount: 2,
  deliveredAt: null, deliveredHours: null, noShow: false, deliveredBy: null, spentCents: null, createdAt: '2030-01-01T02:00:00.000Z', updatedAt: '2030-01-01T03:00:00.000Z',
}

async function mountView() {
  const m = mountWithApp(EmergencyRequestView)
  await vi.waitFor(() => expect(useViewStore().ready && useViewStore().program).toBeTruthy())
  await flushPromises()
  return m
}

describe('EmergencyRequestView', () => {
  beforeEach(() => activateDevice(db, parentAuth, world({ emergencyRequests: [last] })))
  afterEach(() => vi.unstubAllGlobals())

  it('prefills the address and notes from last time, and shows who came then', async () => {
    const { wrapper } = await mountView()
    expect((wrapper.get('[data-testid="emergency-address"]').element as HTMLInputElement).value).toBe('Via Mazzini 3, Crema')
    expect((wrapper.get('[data-testid="emergency-note"]').element as HTMLTextAreaElement).value).toBe('Chiavi dalla vicina')
    expect(wrapper.get('[data-testid="emergency-accepted"]').text()).toContain('arriva Chiara Bettoni')
    // The area is a group of choices (a closed <select> cut long names at 320 px and 200 % text), last time's checked.
    expect(wrapper.find('select#em-territory').exists()).toBe(false)
    expect((wrapper.get('[data-testid="emergency-territory-ter-1"]').element as HTMLInputElement).checked).toBe(true)
    expect(wrapper.get('[data-testid="emergency-territory-ter-1"]').element.closest('fieldset')?.querySelector('legend')?.textContent).toBe('Zona')
  })

  it('sends in two taps once the child is chosen (a shift, send): queued offline and shown as not yet sent', async () => {
    const fetchSpy = vi.fn(() => Promise.reject(new TypeError('offline')))
    vi.stubGlobal('fetch', fetchSpy)
    const { wrapper } = await mountView()
    expect(wrapper.get('[data-testid="emergency-send"]').attributes('disabled')).toBeDefined() // no "when" yet
    const toddler = useViewStore().children.find((c) => c.firstName === 'Giulia')!
    await wrapper.get(`[data-testid="emergency-child"][value="${toddler.id}"]`).setValue(true)
    await wrapper.get('[data-testid="emergency-when-late"]').setValue(true)
    await vi.waitFor(() => expect(wrapper.get('[data-testid="emergency-send"]').attributes('disabled')).toBeUndefined())
    expect(wrapper.get('[data-testid="emergency-estimate"]').text()).toContain('€\u00a0162,00') // 8.5 h begun = 9 × €18
    await wrapper.get('form').trigger('submit')
    await vi.waitFor(async () => expect(await db.outbox.count()).toBe(1))
    const [entry] = await db.outbox.toArray()
    const args = entry?.args as Record<string, string>
    expect(entry?.name).toBe('emergency.request')
    expect(args).toMatchObject({ childId: toddler.id, territoryId: 'ter-1', address: 'Via Mazzini 3, Crema', note: 'Chiavi dalla vicina' })
    // 13:30–22:00 in Rome; "tell me by" one hour before the start.
    expect(Date.parse(args.endsAt!) - Date.parse(args.startsAt!)).toBe(8.5 * 3_600_000)
    expect(Date.parse(args.startsAt!) - Date.parse(args.deadlineAt!)).toBe(3_600_000)
    await vi.waitFor(() => expect(wrapper.find(`[data-request-id="${args.requestId}"]`).attributes('data-status')).toBe('notSent'))
    expect(wrapper.get(`[data-request-id="${args.requestId}"]`).text()).toContain('Non ancora inviata')
    // The derived view already holds the estimate on the voucher.
    expect(useViewStore().voucherOfChild(toddler.id)?.heldCents).toBe(16200)
    expect(fetchSpy).not.toHaveBeenCalled()
  })

  it('after sending, gives the focus to the request’s status (the send button is disabled again)', async () => {
    vi.stubGlobal('fetch', vi.fn(() => Promise.reject(new TypeError('offline'))))
    const m = mountWithApp(EmergencyRequestView, { attachTo: document.body })
    await vi.waitFor(() => expect(useViewStore().ready && useViewStore().program).toBeTruthy())
    await flushPromises()
    const { wrapper } = m
    await wrapper.get('[data-testid="emergency-when-late"]').setValue(true)
    const send = wrapper.get('[data-testid="emergency-send"]')
    ;(send.element as HTMLElement).focus()
    await wrapper.get('form').trigger('submit')
    await vi.waitFor(() => expect(wrapper.find('[data-status="notSent"]').exists()).toBe(true))
    await vi.waitFor(() => expect(document.activeElement).toBe(wrapper.get('[data-status="notSent"] h3').element))
    wrapper.unmount()
  })

  it('left right after sending, it no longer looks for the request’s status: the next page keeps its focus', async () => {
    vi.stubGlobal('fetch', vi.fn(() => Promise.reject(new TypeError('offline'))))
    const { wrapper } = await mountView() // not in the document: the status it looks for is never found there
    await wrapper.get('[data-testid="emergency-when-late"]').setValue(true)
    await wrapper.get('form').trigger('submit')
    await vi.waitFor(async () => expect(await db.outbox.count()).toBe(1))
    const requestId = ((await db.outbox.toArray())[0]?.args as { requestId: string }).requestId
    wrapper.unmount()
    // The home page the parent went to shows the same request's status card.
    const card = document.createElement('article')
    card.dataset.requestId = requestId
    card.innerHTML = '<h3 tabindex="-1">Richiesta urgente</h3>'
    document.body.append(card)
    try {
      await new Promise((r) => setTimeout(r, 200))
      expect(document.activeElement).not.toBe(card.querySelector('h3'))
    } finally {
      card.remove()
    }
  })

  it('names the night shift once: "Questa notte" or "Domani notte" (was "Stanotte notte")', async () => {
    const { wrapper } = await mountView()
    const night = wrapper.get('[data-testid="emergency-when-night"]').element.closest('label')!.textContent!.trim()
    expect(night).toMatch(/^(Questa|Domani) notte \d\d:\d\d–\d\d:\d\d$/)
  })

  it('keeps what was typed and not sent (a draft on the phone) across a reload, and forgets it once sent', async () => {
    vi.stubGlobal('fetch', vi.fn(() => Promise.reject(new TypeError('offline'))))
    localStorage.clear()
    const first = await mountView()
    await first.wrapper.get('[data-testid="emergency-note"]').setValue('Febbre alta: tachipirina alle 14')
    await first.wrapper.get('[data-testid="emergency-address"]').setValue('Via Roma 1, Crema, citofono Rossi')
    first.wrapper.unmount()

    const again = await mountView()
    expect((again.wrapper.get('[data-testid="emergency-note"]').element as HTMLTextAreaElement).value).toBe('Febbre alta: tachipirina alle 14')
    expect((again.wrapper.get('[data-testid="emergency-address"]').element as HTMLInputElement).value).toBe('Via Roma 1, Crema, citofono Rossi')
    expect(again.wrapper.get('[data-testid="emergency-draft-kept"]').text()).toBe('Abbiamo tenuto quello che avevi scritto.')
    await again.wrapper.get('[data-testid="emergency-when-late"]').setValue(true)
    await again.wrapper.get('form').trigger('submit')
    await vi.waitFor(async () => expect(await db.outbox.count()).toBe(1))
    expect(localStorage.getItem('conciliapp.draft.emergency')).toBeNull()
  })

  it('a request the rules will refuse (the voucher does not cover it) still shows, not yet sent, with the reason', async () => {
    vi.stubGlobal('fetch', vi.fn(() => Promise.reject(new TypeError('offline'))))
    const { wrapper } = await mountView()
    const pupil = useViewStore().children.find((c) => c.firstName !== 'Giulia')!
    await wrapper.get(`[data-testid="emergency-child"][value="${pupil.id}"]`).setValue(true)
    await wrapper.get('[data-testid="emergency-when-late"]').setValue(true)
    await wrapper.get('form').trigger('submit')
    await vi.waitFor(() => expect(wrapper.find('[data-status="notSent"]').exists()).toBe(true))
    expect(wrapper.get('[data-status="notSent"]').text()).toContain('Probabilmente non sarà accettata')
  })

  // The areas come with the first download: the "Zona" group was an empty box under its legend till then.
  describe('before the areas are on the phone', () => {
    beforeEach(() => activateDevice(db, parentAuth, world({ territories: [] })))
    const zone = (w: Awaited<ReturnType<typeof mountView>>['wrapper']) => w.get('[data-testid="emergency-territories"]')

    it('says it is loading them while the first download runs, and the choices replace it when they arrive', async () => {
      const { wrapper } = await mountView()
      expect(zone(wrapper).attributes('data-state')).toBe('loading')
      expect(zone(wrapper).get('[role="status"]').text()).toBe('Carico le zone…')
      expect(zone(wrapper).text()).toContain('Zona')
      expect(wrapper.find('input[name="emergency-territory"]').exists()).toBe(false)
      expect(wrapper.get('[data-testid="emergency-send"]').attributes('disabled')).toBeDefined()
      await db.mirror('territory').put({ ...territory, id: 'ter-9', name: 'Viadana/Mantova' })
      await vi.waitFor(() => expect(wrapper.find('[data-testid="emergency-territory-ter-9"]').exists()).toBe(true))
      // A name may wrap after its slash (at 200 % text it broke as "Viadana/Mantov" + "a"), its text unchanged.
      const name = wrapper.get('[data-testid="emergency-territory-ter-9"]').element.closest('label')!
      expect(name.textContent?.trim()).toBe('Viadana/Mantova')
      expect(name.querySelector('wbr')).not.toBeNull()
      expect(wrapper.find('[data-testid="emergency-territories"]').exists()).toBe(false)
    })

    it('offline, or when the download fails, says they come with the connection', async () => {
      const { wrapper } = await mountView()
      const sync = useSyncStore()
      sync.engineState = { ...sync.engineState, online: false }
      await flushPromises()
      expect(zone(wrapper).attributes('data-state')).toBe('error')
      expect(zone(wrapper).get('[role="alert"]').text()).toBe('Serve la connessione: riprova quando sei online.')
      sync.engineState = { ...sync.engineState, online: true }
      await setMeta(db, 'lastError', { code: 'unavailable', message: 'down', at: '2030-01-01T10:00:00.000Z' })
      await vi.waitFor(() => expect(zone(wrapper).attributes('data-state')).toBe('error'))
    })

    it('before the first download brings anything (no child either), the whole form waits with a loading state', async () => {
      await activateDevice(db, parentAuth, world({ territories: [], children: [], vouchers: [] }))
      const { wrapper } = await mountView()
      expect(wrapper.find('[data-testid="emergency-form"]').exists()).toBe(false)
      expect(wrapper.get('[role="status"]').text()).toBe('Stiamo scaricando i tuoi dati…')
      await setMeta(db, 'lastSyncedAt', '2030-01-01T10:00:00.000Z')
      await vi.waitFor(() => expect(wrapper.find('[data-testid="emergency-form"]').exists()).toBe(true))
    })

    it('after a download with none, says so and whom to ask', async () => {
      await setMeta(db, 'lastSyncedAt', '2030-01-01T10:00:00.000Z')
      const { wrapper } = await mountView()
      await vi.waitFor(() => expect(zone(wrapper).attributes('data-state')).toBe('empty'))
      expect(zone(wrapper).text()).toContain('Nessuna zona disponibile')
    })
  })
})
