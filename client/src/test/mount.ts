/** Mount a component with the app's plugins (fresh Pinia, i18n in Italian, router in memory). */
import { mount, type ComponentMountingOptions } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import type { Component } from 'vue'
import { createMemoryHistory } from 'vue-router'
import { i18n, setLocale } from '../i18n/index.ts'
import { createAppRouter } from '../router.ts'

export function mountWithApp<C extends Component>(component: C, options: ComponentMountingOptions<C> = {}) {
  const pinia = createPinia()
  setActivePinia(pinia)
  setLocale('it')
  const router = createAppRouter(createMemoryHistory())
  const wrapper = mount(component, {
    ...options,
    global: { plugins: [pinia, i18n, router], stubs: { teleport: true }, ...options.global },
  } as ComponentMountingOptions<C>)
  return { wrapper, pinia, router }
}
