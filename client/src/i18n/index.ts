/**
 * vue-i18n: Italian by default, English available; the choice is remembered on this device.
 * Italian (the default and the fallback) loads with the app; English is a chunk of its own, loaded
 * when chosen (or at boot when it was the device's choice: main.ts waits for it before mounting), so
 * an Italian phone does not download and parse both languages on every cold start (issue 10).
 */
import { createI18n } from 'vue-i18n'
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
  messages: { it } as Record<Locale, typeof it>,
  missingWarn: false,
  fallbackWarn: false,
})

const loading = new Map<Locale, Promise<void>>()

/** Loads a language's words (once); resolves at once for Italian. */
export function loadLocale(locale: Locale): Promise<void> {
  if (i18n.global.availableLocales.includes(locale)) return Promise.resolve()
  let p = loading.get(locale)
  if (!p) {
    p = import('./en.ts').then((m) => i18n.global.setLocaleMessage(locale, m.default))
    loading.set(locale, p)
  }
  return p
}

/** Switches the language: at once when its words are loaded, otherwise as soon as they are. */
export function setLocale(locale: Locale): Promise<void> {
  const apply = () => {
    i18n.global.locale.value = locale
    try {
      globalThis.localStorage?.setItem(STORAGE_KEY, locale)
    } catch {
      /* private mode: the choice lasts for this session */
    }
    if (typeof document !== 'undefined') document.documentElement.lang = locale
  }
  if (i18n.global.availableLocales.includes(locale)) {
    apply()
    return Promise.resolve()
  }
  return loadLocale(locale).then(apply)
}
