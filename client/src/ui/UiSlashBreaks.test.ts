import { mount } from '@vue/test-utils'
import { describe, expect, it } from 'vitest'
import UiSlashBreaks from './UiSlashBreaks.vue'

describe('UiSlashBreaks', () => {
  it('lets a name wrap after each slash and leaves its text as it is', () => {
    const w = mount({ components: { UiSlashBreaks }, template: '<p><UiSlashBreaks text="Viadana/Mantova/Sabbioneta" /></p>' })
    expect(w.text()).toBe('Viadana/Mantova/Sabbioneta')
    expect(w.html()).toContain('Viadana/<wbr>Mantova/<wbr>Sabbioneta')
    expect(mount(UiSlashBreaks, { props: { text: 'Crema' } }).findAll('wbr')).toHaveLength(0)
  })
})
