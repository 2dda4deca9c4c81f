import { describe, expect, it } from 'vitest'
import { createI18n } from 'vue-i18n'
import { compileMessage, parseMessage } from './compile.ts'
import en from './en.ts'
import enStaff from './en.staff.ts'
import itWords from './it.ts'
import itStaff from './it.staff.ts'

const messages = (node: unknown, prefix = ''): [string, string][] =>
  typeof node === 'object' && node !== null
    ? Object.entries(node).flatMap(([k, v]) => messages(v, prefix ? `${prefix}.${k}` : k))
    : [[prefix, node as string]]

const words = { it: { ...itWords, ...itStaff }, en: { ...en, ...enStaff } }
const options = { legacy: false, locale: 'it', fallbackLocale: 'it', messages: words, missingWarn: false, fallbackWarn: false } as const
/** vue-i18n with its own compiler (the test environment has it), and with the app's. */
const theirs = createI18n(options)
const ours = createI18n({ ...options, messageCompiler: compileMessage })

describe('the app\'s message compiler', () => {
  it('reads every message of both languages (named values and plurals, nothing else)', () => {
    const all = [...messages(words.it), ...messages(words.en)]
    expect(all.length).toBeGreaterThan(1500)
    for (const [key, text] of all) expect([key, typeof text, parseMessage(text) !== null]).toEqual([key, 'string', true])
    expect(all.filter(([, text]) => text.includes('|')).length).toBeGreaterThan(40)
  })

  it('answers every message as vue-i18n does: plain, with counts, with named values, with values missing', () => {
    const t = ours.global.t as (...a: unknown[]) => string
    const expected = theirs.global.t as (...a: unknown[]) => string
    let plurals = 0
    for (const locale of ['it', 'en'] as const) {
      ours.global.locale.value = locale
      theirs.global.locale.value = locale
      for (const [key, text] of messages(words[locale])) {
        const names = [...new Set([...text.matchAll(/\{\s*([A-Za-z_]\w*)\s*\}/g)].map((m) => m[1]!))]
        const named = Object.fromEntries(names.map((n, i) => [n, i % 2 ? 1000 + i : `«${n}»`]))
        const calls: unknown[][] = [[key], [key, named], [key, Object.fromEntries(Object.entries(named).slice(1))]]
        if (text.includes('|')) {
          plurals++
          for (const n of [0, 1, 2, 5, 21]) calls.push([key, n], [key, { ...named, n }, n])
        }
        for (const args of calls) expect([args, t(...args)]).toEqual([args, expected(...args)])
      }
    }
    expect(plurals).toBeGreaterThan(40)
  })

  it('keeps the spaces vue-i18n keeps around plural cases, and a message\'s own', () => {
    const xx = { a: ' uno |due ', b: 'x  |  {n} y\n| z ', c: '  {n}% di {v} ' }
    const mine = createI18n({ legacy: false, locale: 'xx', messages: { xx }, messageCompiler: compileMessage })
    const vueI18n = createI18n({ legacy: false, locale: 'xx', messages: { xx } })
    const t = mine.global.t as (...a: unknown[]) => string
    const expected = vueI18n.global.t as (...a: unknown[]) => string
    for (const args of [['a', 1], ['a', 2], ['b', 0], ['b', 1], ['b', 7], ['c', { n: 3, v: 'w' }], ['c', { v: 'w' }]])
      expect([args, t(...args)]).toEqual([args, expected(...args)])
    expect(t('b', 1)).toBe('{n} y'.replace('{n}', '1'))
  })

  it('refuses the syntax the words do not use, rather than answering it wrongly', () => {
    for (const text of ['Vedi @:plan.title', '{\'letterale\'}', 'Primo {0}', '%{n} posti', '{n posti', 'a } b', '@.upper:x'])
      expect([text, parseMessage(text)]).toEqual([text, null])
    expect(parseMessage('{n}% del voucher · {unit}')).toEqual([[{ named: 'n' }, '% del voucher · ', { named: 'unit' }]])
  })
})
