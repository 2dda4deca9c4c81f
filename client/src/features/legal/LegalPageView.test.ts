import { describe, expect, it, vi } from 'vitest'
import { db } from '../../db/db.ts'
import { setLocale } from '../../i18n/index.ts'
import { activateDevice, resetDevice } from '../../test/device.ts'
import { parentAuth, world } from '../../test/fixtures.ts'
import { mountWithApp } from '../../test/mount.ts'
import { defineComponent, h } from 'vue'
import { RouterView } from 'vue-router'
import ShellMenu from '../shell/ShellMenu.vue'
import { LEGAL } from './legal.content.ts'

const Host = defineComponent({ render: () => h(RouterView) })

describe('the privacy notice and the accessibility statement', () => {
  it('are open before activation, in Italian and in English', async () => {
    await resetDevice(db)
    const { wrapper, router } = mountWithApp(Host)
    await router.push('/privacy')
    await vi.waitFor(() => expect(wrapper.find('[data-testid="legal-privacy"]').exists()).toBe(true))
    expect(wrapper.get('h1').text()).toBe('Informativa sulla privacy')
    expect(wrapper.text()).toContain('Garante per la protezione dei dati personali')
    setLocale('en')
    await vi.waitFor(() => expect(wrapper.get('[data-testid="legal-privacy"] h1').text()).toBe('Privacy notice'))
    await router.push('/accessibility')
    await vi.waitFor(() => expect(wrapper.find('[data-testid="legal-accessibility"]').exists()).toBe(true))
    expect(wrapper.text()).toContain('partially compliant')
    setLocale('it')
    wrapper.unmount()
  })

  it('are linked from the menu of a signed-in device', async () => {
    await activateDevice(db, parentAuth, world())
    const { wrapper } = mountWithApp(ShellMenu)
    await vi.waitFor(() => expect(wrapper.find('.menu__toggle').exists()).toBe(true))
    await wrapper.get('.menu__toggle').trigger('click')
    expect(wrapper.get('[data-testid="menu-privacy"]').attributes('href')).toBe('/privacy')
    expect(wrapper.get('[data-testid="menu-accessibility"]').attributes('href')).toBe('/accessibility')
    wrapper.unmount()
  })

  it('say the same things in both languages (same sections, same number of paragraphs)', () => {
    for (const page of Object.values(LEGAL)) {
      expect(page.en.sections.map((s) => s.paragraphs.length)).toEqual(page.it.sections.map((s) => s.paragraphs.length))
    }
  })
})
