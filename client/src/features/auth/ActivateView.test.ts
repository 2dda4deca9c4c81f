import { flushPromises } from '@vue/test-utils'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { db } from '../../db/db.ts'
import { getMeta } from '../../db/meta.ts'
import { resetDevice } from '../../test/device.ts'
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
})
