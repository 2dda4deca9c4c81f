import { flushPromises } from '@vue/test-utils'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { db } from '../../db/db.ts'
import { getMeta } from '../../db/meta.ts'
import { WIPED_KEY } from '../../db/wiped.ts'
import { wipe } from '../../sync/engine.ts'
import { activateDevice, resetDevice } from '../../test/device.ts'
import { parentAuth } from '../../test/fixtures.ts'
import { mountWithApp } from '../../test/mount.ts'
import ActivateView from './ActivateView.vue'

const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } })

async function submit(code: string, fetchImpl: () => Promise<Response>) {
  vi.stubGlobal('fetch', vi.fn(fetchImpl))
  const m = mountWithApp(ActivateView)
  await m.router.push('/activate')
  await m.wrapper.get('[data-testid="activate-code"]').setValue(code)
  await m.wrapper.get('form').trigger('submit')
  await flushPromises()
  return m
}

describe('ActivateView', () => {
  beforeEach(() => resetDevice(db))
  afterEach(() => vi.unstubAllGlobals())

  it('activates with a code: stores the token and a fresh client id, then goes to the role home', async () => {
    const { router } = await submit('fam-0001', async () => json(200, parentAuth))
    await vi.waitFor(() => expect(router.currentRoute.value.name).toBe('home'))
    expect(await getMeta(db, 'auth')).toEqual(parentAuth)
    expect(await getMeta(db, 'clientId')).toMatch(/^[0-9a-f-]{36}$/)
    expect(vi.mocked(fetch).mock.calls[0]?.[1]?.body).toContain('"code":"FAM-0001"')
  })

  it('takes the code on one line, a pasted line break dropped, and Enter sends it (the field is a textarea that wraps)', async () => {
    vi.stubGlobal('fetch', vi.fn(async () => json(200, parentAuth)))
    const { wrapper, router } = mountWithApp(ActivateView)
    await router.push('/activate')
    const field = wrapper.get('[data-testid="activate-code"]')
    await field.setValue('OPR-AB12-\nCD34-EF56')
    expect((field.element as HTMLTextAreaElement).value).toBe('OPR-AB12-CD34-EF56')
    await field.trigger('keydown', { key: 'Enter' })
    await flushPromises()
    expect(vi.mocked(fetch).mock.calls[0]?.[1]?.body).toContain('"code":"OPR-AB12-CD34-EF56"')
  })

  it('says a wrong code is wrong', async () => {
    const { wrapper } = await submit('FAM-9999', async () => json(401, { error: { code: 'unauthorized', message: 'x' } }))
    await vi.waitFor(() => expect(wrapper.get('[data-testid="activate-error"]').text()).toContain('Codice non valido o revocato'))
    expect(await getMeta(db, 'auth')).toBeUndefined()
  })

  it('says a connection is needed when the network is down', async () => {
    const { wrapper } = await submit('FAM-0001', async () => {
      throw new TypeError('Failed to fetch')
    })
    await vi.waitFor(() => expect(wrapper.get('[data-testid="activate-error"]').text()).toContain('Serve la connessione per attivare'))
  })

  describe('a device wiped by a revocation', () => {
    // The engine heard 401 {reason: 'revoked'} and wiped the family's data; a "reload" is a new mount.
    async function wipedDevice() {
      await activateDevice(db, parentAuth)
      await wipe(db)
    }
    const open = async () => {
      const m = mountWithApp(ActivateView, { attachTo: document.body })
      await m.router.push('/activate')
      await flushPromises()
      return m
    }

    it('says why after every reload, without personal data kept, until the person dismisses it', async () => {
      await wipedDevice()
      expect(await getMeta(db, 'auth')).toBeUndefined()
      expect(localStorage.getItem(WIPED_KEY)).toMatch(/^\d{4}-\d\d-\d\dT/) // a time, nothing of the family
      const first = await open()
      await vi.waitFor(() => expect(first.wrapper.find('[data-testid="wiped-notice"]').text()).toContain('scollegato dalla famiglia o dall’ufficio'))
      first.wrapper.unmount()

      const again = await open()
      await vi.waitFor(() => expect(again.wrapper.find('[data-testid="wiped-notice"]').exists()).toBe(true))
      await again.wrapper.get('[data-testid="wiped-dismiss"]').trigger('click')
      await flushPromises()
      expect(again.wrapper.find('[data-testid="wiped-notice"]').exists()).toBe(false)
      expect(document.activeElement?.getAttribute('data-testid')).toBe('activate-code')
      expect(localStorage.getItem(WIPED_KEY)).toBeNull()
      again.wrapper.unmount()

      const seen = await open()
      expect(seen.wrapper.find('[data-testid="wiped-notice"]').exists()).toBe(false)
      seen.wrapper.unmount()
    })

    it('is said from the mark alone (written before the wipe starts, in case the page goes away during it)', async () => {
      // The mark is written before the wipe: a reload in the middle still finds it.
      await activateDevice(db, parentAuth)
      localStorage.setItem(WIPED_KEY, new Date().toISOString())
      await db.meta.clear()
      const m = await open()
      await vi.waitFor(() => expect(m.wrapper.find('[data-testid="wiped-notice"]').exists()).toBe(true))
      m.wrapper.unmount()
    })

    it('is forgotten once the device is activated again', async () => {
      await wipedDevice()
      const { wrapper, router } = await submit('FAM-0001', async () => json(200, parentAuth))
      await vi.waitFor(() => expect(router.currentRoute.value.name).toBe('home'))
      expect(localStorage.getItem(WIPED_KEY)).toBeNull()
      wrapper.unmount()
    })
  })
})
