/** Money, dates and names as a parent reads them: euro with Italian separators, times in the program's zone. */
import type { Service } from '../../../shared/index.ts'

export type Locale = 'it' | 'en'
export const TIME_ZONE = 'Europe/Rome'

export const tag = (locale: Locale) => (locale === 'it' ? 'it-IT' : 'en-GB')

/**
 * One Intl formatter per locale and shape, made on first use: building one costs far more than using
 * it (a profile of the plan with 500 bookings put building them at 40 % of its cards' render time).
 */
export function cached<F>(make: (locale: Locale) => F): (locale: Locale) => F {
  const made = new Map<Locale, F>()
  return (locale) => made.get(locale) ?? made.set(locale, make(locale)).get(locale)!
}
const money = cached((l) => new Intl.NumberFormat(tag(l), { minimumFractionDigits: 2, maximumFractionDigits: 2 }))
const dateTime = cached((l) => new Intl.DateTimeFormat(tag(l), {
  timeZone: TIME_ZONE, weekday: 'short', day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit',
}))
const longDate = cached((l) => new Intl.DateTimeFormat(tag(l), { timeZone: TIME_ZONE, weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' }))
const time = cached((l) => new Intl.DateTimeFormat(tag(l), { timeZone: TIME_ZONE, hour: '2-digit', minute: '2-digit' }))

/*
 * The cards' money, dates and times written by hand, the same characters as the Intl formatters above
 * (format.test.ts compares them over ten years of minutes and a range of amounts, both languages):
 * the first Intl object a page makes loads ICU's locale data, ~70 ms of a slowed phone's CPU on the
 * way to the plan's first card (bench:coldstart; a page's first NumberFormat costs the same). Intl
 * still answers anything else (another language, a date outside the EU's summer-time rule's years).
 */
const DAYS = { it: ['dom', 'lun', 'mar', 'mer', 'gio', 'ven', 'sab'], en: ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'] }
const MONTHS = {
  it: ['gen', 'feb', 'mar', 'apr', 'mag', 'giu', 'lug', 'ago', 'set', 'ott', 'nov', 'dic'],
  en: ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sept', 'Oct', 'Nov', 'Dec'],
}
const two = (n: number) => (n < 10 ? `0${n}` : `${n}`)

/**
 * Wall-clock time in Europe/Rome as a UTC date (read its UTC fields), or null outside 1996–2099:
 * CET (+1) and, from the last Sunday of March to the last Sunday of October at 01:00 UTC, CEST (+2).
 */
function romeWallClock(iso: string): Date | null {
  const ms = Date.parse(iso)
  if (Number.isNaN(ms)) return null
  const y = new Date(ms).getUTCFullYear()
  if (y < 1996 || y > 2099) return null
  const lastSunday = (month: number) => {
    const last = new Date(Date.UTC(y, month + 1, 0))
    return Date.UTC(y, month, last.getUTCDate() - last.getUTCDay(), 1)
  }
  const summer = ms >= lastSunday(2) && ms < lastSunday(9)
  return new Date(ms + (summer ? 2 : 1) * 3_600_000)
}

/** "€ 300,00" in Italian (a no-break space: the amount never wraps away from its sign at large text), "€300.00" in English. */
export function formatMoney(cents: number, locale: Locale = 'it'): string {
  const sign = cents < 0 ? '−' : ''
  const abs = Math.abs(cents)
  let n: string
  if (Number.isSafeInteger(abs) && (locale === 'it' || locale === 'en')) {
    const units = String(Math.floor(abs / 100))
    // Thousands grouped from 4 digits in English, from 5 in Italian (CLDR's minimum grouping digits).
    const grouped = units.length < (locale === 'it' ? 5 : 4) ? units : units.replace(/\B(?=(\d{3})+$)/g, locale === 'it' ? '.' : ',')
    n = `${grouped}${locale === 'it' ? ',' : '.'}${two(abs % 100)}`
  } else {
    n = money(locale).format(abs / 100)
  }
  return locale === 'it' ? `${sign}€\u00a0${n}` : `${sign}€${n}`
}

/** "lun 3 mar, 09:00" */
export function formatDateTime(iso: string, locale: Locale = 'it'): string {
  const d = locale === 'it' || locale === 'en' ? romeWallClock(iso) : null
  if (!d) return dateTime(locale).format(new Date(iso))
  return `${DAYS[locale][d.getUTCDay()]} ${d.getUTCDate()} ${MONTHS[locale][d.getUTCMonth()]}, ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}`
}

/** "lunedì 3 marzo 2026" */
export const formatLongDate = (iso: string, locale: Locale = 'it'): string => longDate(locale).format(new Date(iso))

const day = cached((l) => new Intl.DateTimeFormat(tag(l), { timeZone: 'UTC', day: 'numeric', month: 'long', year: 'numeric' }))

/** A calendar date (YYYY-MM-DD, no time): "31 gennaio 2027". */
export const formatDay = (date: string, locale: Locale = 'it'): string => day(locale).format(new Date(`${date}T12:00:00.000Z`))

/** "09:00" */
export function formatTime(iso: string, locale: Locale = 'it'): string {
  const d = locale === 'it' || locale === 'en' ? romeWallClock(iso) : null
  return d ? `${two(d.getUTCHours())}:${two(d.getUTCMinutes())}` : time(locale).format(new Date(iso))
}

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
