/** vue-i18n: Italian by default, English available; the choice is remembered on this device. */
import { createI18n } from 'vue-i18n'
import en from './en.ts'
import type { Locale } from './format.ts'
import it from './it.ts'

const STORAGE_KEY = 'conciliapp.locale'

function initialLocale(): Locale {
  try {
    return globalThis.localStorage?.getItem(STORAGE_KEY) === 'en' ? 'en' : 'it'
  } catch {
    return 'it'
  }
}

export const i18n = createI18n({
  legacy: false,
  locale: initialLocale(),
  fallbackLocale: 'it',
  messages: { it, en },
  missingWarn: false,
  fallbackWarn: false,
})

export function setLocale(locale: Locale): void {
  i18n.global.locale.value = locale
  try {
    globalThis.localStorage?.setItem(STORAGE_KEY, locale)
  } catch {
    /* private mode: the choice lasts for this session */
  }
  if (typeof document !== 'undefined') document.documentElement.lang = locale
}
