import { describe, expect, it } from 'vitest'
import { formatMoney, serviceDescription, serviceName } from './format.ts'

describe('format', () => {
  it('writes euro the Italian way, and the English way', () => {
    expect(formatMoney(30000, 'it')).toBe('€ 300,00')
    expect(formatMoney(150, 'en')).toBe('€1.50')
  })
  it('names a service in the reader\'s language', () => {
    const s = { name: 'Dopo-scuola', nameEn: 'After-school' }
    expect(serviceName(s, 'it')).toBe('Dopo-scuola')
    expect(serviceName(s, 'en')).toBe('After-school')
    expect(serviceName(null, 'en')).toBe('')
  })
  it('describes a service in the reader\'s language, in Italian where no English description exists', () => {
    const s = { description: 'Pranzo e compiti.', descriptionEn: 'Lunch and homework.' }
    expect(serviceDescription(s, 'en')).toBe('Lunch and homework.')
    expect(serviceDescription(s, 'it')).toBe('Pranzo e compiti.')
    expect(serviceDescription({ description: 'Pranzo e compiti.', descriptionEn: null }, 'en')).toBe('Pranzo e compiti.')
  })
})
