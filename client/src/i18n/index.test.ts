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

  it('answers in the new language after a switch, for a call it remembers', async () => {
    const t = i18n.global.t as (key: string) => string
    expect(t('plan.title')).toBe(itWords.plan.title)
    await setLocale('en')
    expect(t('plan.title')).toBe(en.plan.title)
  })
})
