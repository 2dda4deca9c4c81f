import { describe, expect, it } from 'vitest'
import { formatDateTime, formatMoney, formatTime, serviceDescription, serviceName, TIME_ZONE } from './format.ts'

describe('format', () => {
  it('writes euro the Italian way, and the English way', () => {
    expect(formatMoney(30000, 'it')).toBe('€\u00a0300,00')
    expect(formatMoney(150, 'en')).toBe('€1.50')
  })
  it('writes money by hand exactly as Intl does, in both languages', () => {
    for (const [locale, tag] of [['it', 'it-IT'], ['en', 'en-GB']] as const) {
      const intl = new Intl.NumberFormat(tag, { minimumFractionDigits: 2, maximumFractionDigits: 2 })
      const amounts = [0, 1, 9, 10, 99, 100, 101, 999, 1000, 99_999, 100_000, 999_999, 1_000_000, 1_234_567, 123_456_789, 100_000_000_000]
      for (let c = 0; c < 2_000_000; c += 997) amounts.push(c)
      const wrong: string[] = []
      for (const c of [...amounts, ...amounts.map((a) => -a)]) {
        const n = intl.format(Math.abs(c) / 100)
        const sign = c < 0 ? '−' : ''
        const expected = locale === 'it' ? `${sign}€\u00a0${n}` : `${sign}€${n}`
        if (formatMoney(c, locale) !== expected) wrong.push(`${c}: ${formatMoney(c, locale)} ≠ ${expected}`)
      }
      expect(wrong).toEqual([])
    }
  })
  it('writes dates and times in the program\'s zone by hand exactly as Intl does, summer time changes included', () => {
    for (const [locale, tag] of [['it', 'it-IT'], ['en', 'en-GB']] as const) {
      const dateTime = new Intl.DateTimeFormat(tag, { timeZone: TIME_ZONE, weekday: 'short', day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' })
      const time = new Intl.DateTimeFormat(tag, { timeZone: TIME_ZONE, hour: '2-digit', minute: '2-digit' })
      const instants: number[] = []
      // Ten years, every 211 minutes (every hour of the day, every weekday and month)…
      for (let ms = Date.UTC(2025, 0, 1); ms < Date.UTC(2035, 0, 1); ms += 211 * 60_000) instants.push(ms)
      // …and each minute around every change to and from summer time.
      for (let y = 2025; y < 2035; y++) {
        for (const month of [2, 9]) {
          const last = new Date(Date.UTC(y, month + 1, 0))
          const change = Date.UTC(y, month, last.getUTCDate() - last.getUTCDay(), 1)
          for (let m = -90; m <= 90; m++) instants.push(change + m * 60_000)
        }
      }
      const wrong: string[] = []
      for (const ms of instants) {
        const iso = new Date(ms).toISOString()
        const [mine, intl] = [`${formatDateTime(iso, locale)} | ${formatTime(iso, locale)}`, `${dateTime.format(ms)} | ${time.format(ms)}`]
        if (mine !== intl) wrong.push(`${iso}: ${mine} ≠ ${intl}`)
      }
      expect(instants.length).toBeGreaterThan(20_000)
      expect(wrong).toEqual([])
      // Offsets written in the ISO string, as the server sends them.
      expect(formatDateTime('2030-03-04T09:00:00+01:00', locale)).toBe(dateTime.format(new Date('2030-03-04T09:00:00+01:00')))
    }
    expect(formatDateTime('2030-03-04T09:00:00+01:00', 'it')).toBe('lun 4 mar, 09:00')
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
