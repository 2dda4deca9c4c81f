/** The families' requests screen against a stand-in for the office API (the real one: sync-server's family-data.test.ts). */
import { flushPromises } from '@vue/test-utils'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { db } from '../../db/db.ts'
import { activateDevice } from '../../test/device.ts'
import { world } from '../../test/fixtures.ts'
import { mountWithApp } from '../../test/mount.ts'
import { officerAuth } from '../../test/office.ts'
import OfficeRequestsView from './OfficeRequestsView.vue'

const birth = {
  id: 'bdr-1', childId: 'chd-1', familyId: 'fam-1', familyName: 'Rossi', childFirstName: 'Lia', birthDate: '2022-03-04', previousBirthDate: '2022-04-03',
  status: 'pending', requestedAt: '2026-11-20T10:00:00.000Z', decidedAt: null, reason: null,
}
const erasure = { id: 'era-1', familyId: 'fam-2', familyName: 'Bianchi', requestedAt: '2026-11-21T10:00:00.000Z', status: 'pending', handledAt: null }
let posts: { path: string; body: unknown }[]

beforeEach(async () => {
  await activateDevice(db, officerAuth, world({}))
  posts = []
  vi.stubGlobal('fetch', async (path: string, init?: RequestInit) => {
    const json = (v: unknown) => new Response(JSON.stringify(v), { headers: { 'content-type': 'application/json' } })
    if (init?.method === 'POST') {
      posts.push({ path, body: JSON.parse(String(init.body)) })
      if (path.endsWith('/reject')) return json({ id: 'bdr-1', status: 'rejected', decidedAt: '2026-11-24T10:00:00.000Z' })
      return json({
        familyId: 'fam-2', erasedAt: '2026-11-24T10:00:00.000Z', children: 1, bookings: 0, messagesDeleted: 0, tokensRevoked: 1,
        emergencyRequests: 0, applications: 0, pushSubscriptionsDeleted: 0, calendarFeedsDeleted: 0,
      })
    }
    return json({ requests: path.includes('birth-date') ? [birth] : [erasure] })
  })
})
afterEach(() => vi.unstubAllGlobals())

describe('OfficeRequestsView', () => {
  it('rejects a birth date only with a reason (the reason dialog), and erases a family after its confirmation', async () => {
    const { wrapper } = mountWithApp(OfficeRequestsView)
    await vi.waitFor(() => expect(wrapper.find('[data-testid="birth-request"]').exists()).toBe(true))
    const find = (id: string) => wrapper.find(`[data-testid="${id}"]`)

    await wrapper.get('[data-testid="birth-request"] .btn--secondary').trigger('click')
    expect(find('reject-dialog').text()).toContain('Motivo (la famiglia lo leggerà)')
    expect(find('reject-submit').attributes('disabled')).toBeDefined()
    await find('reject-reason').setValue('  La data registrata è quella del documento ')
    await wrapper.get('#reject-form').trigger('submit')
    await flushPromises()
    expect(posts).toEqual([{ path: '/api/office/birth-date-requests/bdr-1/reject', body: { reason: 'La data registrata è quella del documento' } }])
    expect(find('reject-dialog').exists()).toBe(false)

    await find('erase-fam-2').trigger('click')
    expect(find('erase-dialog').text()).toContain('Cancellare i dati di «Bianchi»?')
    await find('erase-confirm').trigger('click')
    await flushPromises()
    expect(posts.at(-1)).toEqual({ path: '/api/office/families/fam-2/erase', body: {} })
    expect(find('erase-dialog').exists()).toBe(false)
  })

  it('links a correction to its child’s log and a deletion request to its family’s (what the office’s decisions write)', async () => {
    const { wrapper } = mountWithApp(OfficeRequestsView)
    await vi.waitFor(() => expect(wrapper.find('[data-testid="erasure-audit-fam-2"]').exists()).toBe(true))
    const child = wrapper.get('[data-testid="birth-audit-bdr-1"]')
    expect(child.attributes('href')).toBe('/office/audit?entity=child&entityId=chd-1')
    expect(child.text()).toBe('Registro attività: Lia')
    const family = wrapper.get('[data-testid="erasure-audit-fam-2"]')
    expect(family.attributes('href')).toBe('/office/audit?entity=family&entityId=fam-2')
    expect(family.text()).toBe('Registro attività: Bianchi')
  })
})
