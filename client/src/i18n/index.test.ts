import { afterEach, describe, expect, it } from 'vitest'
import { createI18n } from 'vue-i18n'
import en from './en.ts'
import { i18n, setLocale } from './index.ts'
import itWords from './it.ts'

// The same words without the memo: vue-i18n as it comes.
const plain = createI18n({ legacy: false, locale: 'it', fallbackLocale: 'it', messages: { it: itWords, en }, missingWarn: false, fallbackWarn: false })

describe('t with a memo of its answers', () => {
  afterEach(() => setLocale('it'))

  it('answers as vue-i18n does, asked once or twice, in either language', async () => {
    const calls: unknown[][] = [
      ['plan.title'],
      ['plan.states.confirmed'],
      ['plan.quantity', { n: 3, unit: 'ore' }],
      ['plan.quantity', { n: 4, unit: 'ore' }],
      ['menu.signOutPending', { n: 2 }],
      ['menu.signOutPending', 1],
      ['menu.signOutPending', 2],
      ['messages.title', { n: 3 }, 3],
      ['messages.title', { n: 1 }, 1],
      ['messages.title', 0],
      ['messages.unread', { n: 2 }, 2],
      ['no.such.key'],
    ]
    const t = i18n.global.t as (...a: unknown[]) => string
    const expected = plain.global.t as (...a: unknown[]) => string
    for (const locale of ['it', 'en'] as const) {
      await setLocale(locale)
      plain.global.locale.value = locale
      for (const args of [...calls, ...calls]) expect(t(...args)).toBe(expected(...args))
    }
  })

  it('answers every word of both languages as vue-i18n does (plain ones without compiling them)', async () => {
    const keys = (node: unknown, prefix = ''): string[] =>
      typeof node === 'object' && node !== null
        ? Object.entries(node).flatMap(([k, v]) => keys(v, prefix ? `${prefix}.${k}` : k))
        : [prefix]
    const all = [...new Set([...keys(itWords), ...keys(en)])]
    expect(all.length).toBeGreaterThan(300)
    const t = i18n.global.t as (...a: unknown[]) => string
    const expected = plain.global.t as (...a: unknown[]) => string
    for (const locale of ['it', 'en'] as const) {
      await setLocale(locale)
      plain.global.locale.value = locale
      for (const key of all) expect([key, t(key)]).toEqual([key, expected(key)])
    }
  })

  it('fills in every message with named values as vue-i18n does (without compiling the simple ones)', async () => {
    const messages = (node: unknown, prefix = ''): [string, string][] =>
      typeof node === 'object' && node !== null
        ? Object.entries(node).flatMap(([k, v]) => messages(v, prefix ? `${prefix}.${k}` : k))
        : typeof node === 'string' ? [[prefix, node]] : []
    const t = i18n.global.t as (...a: unknown[]) => string
    const expected = plain.global.t as (...a: unknown[]) => string
    let asked = 0
    for (const [locale, words] of [['it', itWords], ['en', en]] as const) {
      await setLocale(locale)
      plain.global.locale.value = locale
      for (const [key, text] of messages(words)) {
        const names = [...text.matchAll(/\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}/g)].map((m) => m[1]!)
        if (names.length === 0) continue
        asked++
        const named = Object.fromEntries(names.map((n, i) => [n, i % 2 ? 7 + i : `v${i}·${n}`]))
        expect([key, t(key, named)]).toEqual([key, expected(key, named)])
        const fewer = Object.fromEntries(Object.entries(named).slice(1)) // a value left out
        expect([key, t(key, fewer)]).toEqual([key, expected(key, fewer)])
      }
    }
    expect(asked).toBeGreaterThan(100)
  })

  it('answers in the new language after a switch, for a call it remembers', async () => {
    const t = i18n.global.t as (key: string) => string
    expect(t('plan.title')).toBe(itWords.plan.title)
    await setLocale('en')
    expect(t('plan.title')).toBe(en.plan.title)
  })
})
