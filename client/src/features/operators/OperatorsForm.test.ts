import { describe, expect, it } from 'vitest'
import { mountWithApp } from '../../test/mount.ts'
import OperatorsForm from './OperatorsForm.vue'

describe('OperatorsForm: the work phone a family calls (0028)', () => {
  it('refuses what is not a phone number, sends one that is, and an empty field removes it', async () => {
    const { wrapper } = mountWithApp(OperatorsForm, { props: { operator: null } })
    await wrapper.get('[data-testid="of-name"]').setValue('Chiara Bettoni')
    await wrapper.get('[data-testid="of-phone"]').setValue('chiamami in sede')
    await wrapper.get('form').trigger('submit')
    expect(wrapper.emitted('save')).toBeUndefined()
    expect(wrapper.get('[data-testid="of-phone"]').attributes('aria-invalid')).toBe('true')
    expect(wrapper.get('#of-phone-hint').text()).toContain('Numero non valido')

    await wrapper.get('[data-testid="of-phone"]').setValue(' +39 347 300 0100 ')
    await wrapper.get('form').trigger('submit')
    expect(wrapper.emitted('save')?.[0]?.[0]).toMatchObject({ name: 'Chiara Bettoni', phone: '+39 347 300 0100' })

    await wrapper.get('[data-testid="of-phone"]').setValue('')
    await wrapper.get('form').trigger('submit')
    expect(wrapper.emitted('save')?.[1]?.[0]).toMatchObject({ phone: '' })
  })
})
