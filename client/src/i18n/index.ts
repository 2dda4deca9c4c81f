/**
 * vue-i18n: Italian by default, English available; the choice is remembered on this device.
 * Italian (the default and the fallback) loads with the app; English is a chunk of its own, loaded
 * when chosen (or at boot when it was the device's choice: main.ts waits for it before mounting), so
 * an Italian phone does not download and parse both languages on every cold start (issue 10).
 * The staff's screens' words (providers, operators, the office: it.staff.ts, en.staff.ts) are chunks
 * of their own too, loaded by the router for those roles (`loadStaffWords`): not on a family's phone.
 */
import { shallowRef } from 'vue'
import { createI18n } from 'vue-i18n'
import { compileMessage } from './compile.ts'
import { ERROR_WORDS, span } from './errors.ts'
import { formatMoney, type Locale } from './format.ts'
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
  // Copies: vue-i18n merges the staff's words into the object it holds, and it.ts stays as written.
  messages: { it: { ...it } } as Record<Locale, typeof it>,
  missingWarn: false,
  fallbackWarn: false,
  // Named values and plurals, all the words use: vue-i18n's own compiler stays out of the bundle (compile.ts).
  messageCompiler: compileMessage,
})

/**
 * `t` remembers its answers. vue-i18n's own `t` costs ~0.15 ms a call on a phone (it resolves the
 * key through the reactive messages, builds a message context and a cache key as JSON, and formats):
 * 500 plan cards call it thousands of times, 0.8 s of a cold start's 4.5 s of CPU (slowed 4×, a
 * profile of `bench:coldstart`). An answer depends only on the language, the key and the named
 * values, all strings or numbers here, and the words of a language never change once loaded (the
 * memo is emptied when they are set), so a call seen before is answered from the memo, a count for
 * a plural case included (its first answer is vue-i18n's). Anything else (options, a list, an object
 * value) goes to vue-i18n as before. The language is read
 * first, so a component still re-renders when it changes.
 * A first call for a plain message (no `{ } @ | % $`: nothing to interpolate, link or pluralise) is
 * answered with the string itself, found in the language's words as loaded: vue-i18n would compile it
 * into a function first (its compiler and cache keys: ~0.2 s of a slowed cold start's first screen).
 * A first call whose message only has named values (`{n} × {unit}`: no plural, link, list or
 * literal) is filled in by hand, as vue-i18n would (the plan's first cards call a dozen of them: its
 * compiler was ~60 ms of a slowed cold start's first card). `index.test.ts` asks every such message.
 * Anything not found there (a key missing in English, words merged later) goes to vue-i18n, whose
 * messages (plurals, say) are compiled by the app's own compiler (compile.ts), not vue-i18n's.
 */
function rememberAnswers(composer: typeof i18n.global): void {
  const original = composer.t as (...args: unknown[]) => string
  let memo = new Map<string, string>()
  memoReset = () => {
    memo = new Map()
  }
  const word = (locale: string, key: string): string | undefined => {
    let node: unknown = rawWords.get(locale)
    for (const part of key.split('.')) {
      if (typeof node !== 'object' || node === null || !Object.hasOwn(node, part)) return undefined
      node = (node as Record<string, unknown>)[part]
    }
    return typeof node === 'string' ? node : undefined
  }
  const plainWord = (locale: string, key: string): string | undefined => {
    const w = word(locale, key)
    return w !== undefined && !SPECIAL.test(w) ? w : undefined
  }
  /** A message whose only syntax is named values (`{n} × {unit}`), filled in by hand: undefined for anything else. */
  const namedWord = (locale: string, key: string, named: Record<string, string | number>): string | undefined => {
    const w = word(locale, key)
    if (w === undefined || /[@|%$]/.test(w) || /[{}]/.test(w.replace(NAMED, ''))) return undefined
    let missing = false
    const out = w.replace(NAMED, (_, k: string) => {
      if (!Object.hasOwn(named, k)) missing = true
      return String(named[k])
    })
    return missing ? undefined : out
  }
  const t = (...args: unknown[]): string => {
    const locale = composer.locale.value
    const [key, named, plural] = args
    if (typeof key !== 'string' || args.length > 3) return original(...args)
    let id = `${locale}\u0000${key}`
    // A count (`t(key, n)`, `t(key, { n }, n)`: a plural case) is vue-i18n's to answer the first time,
    // then remembered like the rest: every plan card's thread summary asks one (500 cards, ~35 ms of a
    // slowed phone's CPU each time the messages come in).
    const counted = args.length === 3 ? plural : args.length === 2 && typeof named === 'number' ? named : undefined
    if (args.length === 3 && (typeof plural !== 'number' || typeof named !== 'object')) return original(...args)
    if (counted !== undefined) id += `\u0002${counted as number}`
    if (typeof named === 'object') {
      if (named === null || Array.isArray(named)) return original(...args)
      for (const [k, v] of Object.entries(named)) {
        if (typeof v !== 'string' && typeof v !== 'number') return original(...args)
        id += `\u0000${k}\u0001${v}`
      }
    } else if (args.length >= 2 && typeof named !== 'number') return original(...args)
    let answer = memo.get(id)
    if (answer === undefined) {
      answer = (counted !== undefined ? undefined : args.length === 1 ? plainWord(locale, key) : namedWord(locale, key, named as Record<string, string | number>)) || original(...args)
      if (memo.size >= 20_000) memo = new Map()
      memo.set(id, answer)
    }
    return answer
  }
  ;(composer as { t: unknown }).t = t
}
let memoReset = () => {}
/** Characters of vue-i18n's message syntax: a message with none of them is its own answer. */
const SPECIAL = /[{}@|%$]/
/** A named value in a message: `{name}`. */
const NAMED = /\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}/g
/** Each language's words as loaded (plain objects, not vue-i18n's reactive copy). */
const rawWords = new Map<string, unknown>([['it', it]])
rememberAnswers(i18n.global)

const loading = new Map<Locale, Promise<void>>()

/** Loads a language's words (once); resolves at once for Italian. */
export function loadLocale(locale: Locale): Promise<void> {
  if (i18n.global.availableLocales.includes(locale)) return Promise.resolve()
  let p = loading.get(locale)
  if (!p) {
    // The error words' English (errors.en.ts) comes with the rest, before the switch.
    p = Promise.all([import('./en.ts'), import('./errors.en.ts')]).then(async ([m, errors]) => {
      i18n.global.setLocaleMessage(locale, { ...m.default })
      ERROR_WORDS.en = errors.englishErrorWords({ money: (cents) => formatMoney(cents, 'en'), span, planStates: m.default.plan.states })
      rawWords.set(locale, m.default)
      memoReset()
      // English chosen on a staff device: its staff words come with it, before the switch.
      if (staffWanted) addWords(locale, (await import('./en.staff.ts')).default)
    })
    loading.set(locale, p)
  }
  return p
}

/** Words added to a language (merged into vue-i18n's and into the plain words `t` reads first). */
function addWords(locale: Locale, words: Record<string, unknown>): void {
  i18n.global.mergeLocaleMessage(locale, words as never)
  rawWords.set(locale, { ...(rawWords.get(locale) as object), ...words })
  memoReset()
}

let staffWanted = false
let staffWords: Promise<void> | null = null
/**
 * True once the staff's words are here: the router waits for them before a staff screen, and the
 * shell's nav (App.vue) waits too, so its labels never show as raw keys for a moment.
 */
export const staffWordsReady = shallowRef(false)

/**
 * Loads the words of the staff's screens (once), in Italian and, if English is loaded or loading, in
 * English: the router waits for them before any screen of a provider, an operator or the office. A
 * failed load (a network error with no service worker yet) is tried again at the next navigation.
 */
export function loadStaffWords(): Promise<void> {
  if (!staffWords) {
    staffWanted = true
    const english = loading.get('en')
    staffWords = Promise.all([
      import('./it.staff.ts').then((m) => addWords('it', m.default)),
      english?.then(() => import('./en.staff.ts')).then((m) => addWords('en', m.default)),
    ]).then(
      () => {
        staffWordsReady.value = true
      },
      (e: unknown) => {
        staffWords = null
        throw e
      },
    )
  }
  return staffWords
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
