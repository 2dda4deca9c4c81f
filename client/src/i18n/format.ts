/** Money, dates and names as a parent reads them: euro with Italian separators, times in the program's zone. */
import type { Service } from '../../../shared/index.ts'

export type Locale = 'it' | 'en'
export const TIME_ZONE = 'Europe/Rome'

/** "€ 300,00" in Italian, "€300.00" in English. */
export function formatMoney(cents: number, locale: Locale = 'it'): string {
  const sign = cents < 0 ? '−' : ''
  const n = new Intl.NumberFormat(locale === 'it' ? 'it-IT' : 'en-GB', { minimumFractionDigits: 2, maximumFractionDigits: 2 })
    .format(Math.abs(cents) / 100)
  return locale === 'it' ? `${sign}€ ${n}` : `${sign}€${n}`
}

const tag = (locale: Locale) => (locale === 'it' ? 'it-IT' : 'en-GB')

/** "lun 3 mar, 09:00" */
export function formatDateTime(iso: string, locale: Locale = 'it'): string {
  return new Intl.DateTimeFormat(tag(locale), {
    timeZone: TIME_ZONE, weekday: 'short', day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit',
  }).format(new Date(iso))
}

/** "lunedì 3 marzo 2026" */
export function formatLongDate(iso: string, locale: Locale = 'it'): string {
  return new Intl.DateTimeFormat(tag(locale), { timeZone: TIME_ZONE, weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' })
    .format(new Date(iso))
}

/** "09:00" */
export function formatTime(iso: string, locale: Locale = 'it'): string {
  return new Intl.DateTimeFormat(tag(locale), { timeZone: TIME_ZONE, hour: '2-digit', minute: '2-digit' }).format(new Date(iso))
}

/** "09:00–12:30" */
export const formatTimeRange = (startsAt: string, endsAt: string, locale: Locale = 'it'): string =>
  `${formatTime(startsAt, locale)}–${formatTime(endsAt, locale)}`

/** A service's name in the reader's language (the catalogue carries Italian and English). */
export const serviceName = (service: Pick<Service, 'name' | 'nameEn'> | null | undefined, locale: Locale): string =>
  !service ? '' : locale === 'en' ? service.nameEn : service.name
