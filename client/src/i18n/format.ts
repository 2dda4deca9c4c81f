/** Money, dates and names as a parent reads them: euro with Italian separators, times in the program's zone. */
import type { Service } from '../../../shared/index.ts'

export type Locale = 'it' | 'en'
export const TIME_ZONE = 'Europe/Rome'

const tag = (locale: Locale) => (locale === 'it' ? 'it-IT' : 'en-GB')

/**
 * One Intl formatter per locale and shape, made on first use: building one costs far more than using
 * it (a profile of the plan with 500 bookings put building them at 40 % of its cards' render time).
 */
function cached<F>(make: (locale: Locale) => F): (locale: Locale) => F {
  const made = new Map<Locale, F>()
  return (locale) => made.get(locale) ?? made.set(locale, make(locale)).get(locale)!
}
const money = cached((l) => new Intl.NumberFormat(tag(l), { minimumFractionDigits: 2, maximumFractionDigits: 2 }))
const dateTime = cached((l) => new Intl.DateTimeFormat(tag(l), {
  timeZone: TIME_ZONE, weekday: 'short', day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit',
}))
const longDate = cached((l) => new Intl.DateTimeFormat(tag(l), { timeZone: TIME_ZONE, weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' }))
const time = cached((l) => new Intl.DateTimeFormat(tag(l), { timeZone: TIME_ZONE, hour: '2-digit', minute: '2-digit' }))

/**
 * Builds the formatters the plan's and the home's cards use, ahead of them: main.ts calls it in idle
 * time while IndexedDB reads the mirror, so the first card does not wait for the first `Intl.DateTimeFormat`
 * in the program's time zone (~70 ms on a slowed phone: the zone's data is loaded then).
 */
export function warmFormatters(locale: Locale): void {
  money(locale)
  dateTime(locale)
  time(locale)
}

/** "€ 300,00" in Italian, "€300.00" in English. */
export function formatMoney(cents: number, locale: Locale = 'it'): string {
  const sign = cents < 0 ? '−' : ''
  const n = money(locale).format(Math.abs(cents) / 100)
  return locale === 'it' ? `${sign}€ ${n}` : `${sign}€${n}`
}

/** "lun 3 mar, 09:00" */
export const formatDateTime = (iso: string, locale: Locale = 'it'): string => dateTime(locale).format(new Date(iso))

/** "lunedì 3 marzo 2026" */
export const formatLongDate = (iso: string, locale: Locale = 'it'): string => longDate(locale).format(new Date(iso))

const day = cached((l) => new Intl.DateTimeFormat(tag(l), { timeZone: 'UTC', day: 'numeric', month: 'long', year: 'numeric' }))

/** A calendar date (YYYY-MM-DD, no time): "31 gennaio 2027". */
export const formatDay = (date: string, locale: Locale = 'it'): string => day(locale).format(new Date(`${date}T12:00:00.000Z`))

/** "09:00" */
export const formatTime = (iso: string, locale: Locale = 'it'): string => time(locale).format(new Date(iso))

/** "09:00–12:30" */
export const formatTimeRange = (startsAt: string, endsAt: string, locale: Locale = 'it'): string =>
  `${formatTime(startsAt, locale)}–${formatTime(endsAt, locale)}`

/** A service's name in the reader's language (the catalogue carries Italian and English). */
export const serviceName = (service: Pick<Service, 'name' | 'nameEn'> | null | undefined, locale: Locale): string =>
  !service ? '' : locale === 'en' ? service.nameEn : service.name

/** A service's description in the app's language (the Italian one where no English one exists). */
export const serviceDescription = (service: Pick<Service, 'description' | 'descriptionEn'> | null | undefined, locale: Locale): string =>
  (locale === 'en' ? service?.descriptionEn || service?.description : service?.description) ?? ''

/**
 * The words of a message around one value, so the value (a name, a reason someone typed) can be
 * rendered isolated in <bdi>: `[before, after]` of `t(key)` with the value's place marked.
 */
export function around(t: (key: string, named: Record<string, string>) => string, key: string, value: string): [string, string] {
  const marker = '\u2063' // invisible separator: never in a translation
  const [before = '', after = ''] = t(key, { [value]: marker }).split(marker)
  return [before, after]
}
