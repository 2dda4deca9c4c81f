import { flushPromises } from '@vue/test-utils'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import { db } from '../../db/db.ts'
import { setMeta } from '../../db/meta.ts'
import { activateDevice } from '../../test/device.ts'
import { parentAuth, pupil, toddler, world } from '../../test/fixtures.ts'
import { mountWithApp } from '../../test/mount.ts'
import ChildView from './ChildView.vue'

const pendingArgs = async () => (await db.outbox.toArray()).map((e) => [e.name, e.args as Record<string, unknown>] as const)

describe('ChildView', () => {
  beforeEach(async () => {
    localStorage.clear()
    // The pupil has a voucher (its birth date is the office's); a child without one does not.
    await activateDevice(db, parentAuth, world({ children: [toddler, pupil, { id: 'ch-3', familyId: 'fam-1', firstName: 'Nina', birthDate: '2024-02-02', note: null }] }))
    await setMeta(db, 'lastSyncedAt', '2030-01-01T10:00:00Z')
  })

  it('corrects a name and a note offline: queued, shown at once in the history as not sent yet', async () => {
    const { wrapper } = mountWithApp(ChildView, { props: { childId: pupil.id } })
    await vi.waitFor(() => expect((wrapper.get('[data-testid="child-name"]').element as HTMLInputElement).value).toBe('Marco'))
    await wrapper.get('[data-testid="child-name"]').setValue('Marco Maria')
    await wrapper.get('[data-testid="child-note"]').setValue('Allergia alle arachidi')
    await wrapper.get('[data-testid="child-form"]').trigger('submit')
    await vi.waitFor(async () => expect(await pendingArgs()).toHaveLength(1))
    const [[name, args]] = (await pendingArgs()) as [readonly [string, Record<string, unknown>]]
    expect(name).toBe('child.upsert')
    expect(args).toMatchObject({ childId: pupil.id, firstName: 'Marco Maria', birthDate: pupil.birthDate, note: 'Allergia alle arachidi' })
    await vi.waitFor(() => expect(wrapper.findAll('[data-testid="child-history-entry"]')).toHaveLength(2))
    expect(wrapper.get('[data-testid="child-history"]').text()).toContain('non ancora inviata')
    expect(wrapper.get('[data-testid="child-history"]').text()).toContain('Allergia alle arachidi')
    expect(localStorage.getItem(`conciliapp.draft.child.${pupil.id}`)).toBeNull()
  })

  it('keeps what was typed across a reload until it is saved', async () => {
    const first = mountWithApp(ChildView, { props: { childId: pupil.id } })
    await vi.waitFor(() => expect((first.wrapper.get('[data-testid="child-name"]').element as HTMLInputElement).value).toBe('Marco'))
    await first.wrapper.get('[data-testid="child-note"]').setValue('Celiachia')
    await flushPromises()
    first.wrapper.unmount()
    const again = mountWithApp(ChildView, { props: { childId: pupil.id } })
    await vi.waitFor(() => expect((again.wrapper.get('[data-testid="child-note"]').element as HTMLTextAreaElement).value).toBe('Celiachia'))
    expect(again.wrapper.text()).toContain('Abbiamo tenuto quello che avevi scritto')
  })

  it('locks the birth date of a child with a voucher and asks the office instead', async () => {
    const { wrapper } = mountWithApp(ChildView, { props: { childId: pupil.id } })
    await vi.waitFor(() => expect(wrapper.find('[data-testid="child-request-date"]').exists()).toBe(true))
    expect(wrapper.get('[data-testid="child-birth"]').attributes('readonly')).toBeDefined()
    await wrapper.get('[data-testid="child-request-date"]').setValue('2020-12-01')
    await wrapper.get('[data-testid="child-request-send"]').trigger('submit')
    await vi.waitFor(async () => expect((await pendingArgs()).map(([n]) => n)).toEqual(['child.requestBirthDate']))
    await vi.waitFor(() => expect(wrapper.get('[data-testid="child-request-pending"]').text()).toContain('2020'))
  })

  it('lets a child without a voucher change its birth date; refuses an empty name without queuing anything', async () => {
    const { wrapper } = mountWithApp(ChildView, { props: { childId: 'ch-3' } })
    await vi.waitFor(() => expect((wrapper.get('[data-testid="child-name"]').element as HTMLInputElement).value).toBe('Nina'))
    expect(wrapper.find('[data-testid="child-request-date"]').exists()).toBe(false)
    await wrapper.get('[data-testid="child-name"]').setValue('  ')
    await wrapper.get('[data-testid="child-form"]').trigger('submit')
    await vi.waitFor(() => expect(wrapper.get('[data-testid="child-name"]').attributes('aria-invalid')).toBe('true'))
    expect(await db.outbox.count()).toBe(0)
    await wrapper.get('[data-testid="child-name"]').setValue('Nina')
    await wrapper.get('[data-testid="child-birth"]').setValue('2024-03-03')
    await wrapper.get('[data-testid="child-form"]').trigger('submit')
    await vi.waitFor(async () => expect((await pendingArgs())[0]?.[1]).toMatchObject({ childId: 'ch-3', birthDate: '2024-03-03' }))
  })
})
