/** The top bar is as wide as the pages under it: the phone's column, or the office's desktop width. */
import { describe, expect, it, vi } from 'vitest'
import { db } from '../../db/db.ts'
import { activateDevice } from '../../test/device.ts'
import { officerAuth, parentAuth } from '../../test/fixtures.ts'
import { mountWithApp } from '../../test/mount.ts'
import { useAuthStore } from '../auth/auth.store.ts'
import ShellHeader from './ShellHeader.vue'

async function headerFor(auth: typeof parentAuth) {
  await activateDevice(db, auth)
  const { wrapper } = mountWithApp(ShellHeader)
  await useAuthStore().ready()
  await vi.waitFor(() => expect(wrapper.find('.header__status').exists()).toBe(true))
  return wrapper.get('header')
}

describe('ShellHeader', () => {
  it('spans the office’s wide pages for an officer', async () => {
    expect((await headerFor(officerAuth)).classes()).toContain('header--wide')
  })

  it('keeps to the phone’s column for a family', async () => {
    expect((await headerFor(parentAuth)).classes()).not.toContain('header--wide')
  })
})
