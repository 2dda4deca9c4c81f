/**
 * The app's own message compiler for vue-i18n (its `messageCompiler` option), so the first screen
 * does not carry vue-i18n's (`@intlify/message-compiler`, ~5 KB gzip, dropped from the build by
 * `__INTLIFY_DROP_MESSAGE_COMPILER__` in vite.config.ts).
 *
 * The words (it.ts, en.ts, it.staff.ts, en.staff.ts) use two pieces of vue-i18n's syntax and no more:
 * named values (`{n} × {unit}`) and plural cases (`un posto | {n} posti`). That much is compiled here,
 * into the same answers vue-i18n gives: the case is chosen by vue-i18n's own plural rule
 * (`ctx.plural`), a missing value is empty. `compile.test.ts` asks every message of both languages
 * with several counts and values against vue-i18n's compiler, and refuses any other syntax (a link
 * `@:key`, a literal `{'x'}`, a list `{0}`…): a new message that needs more fails there, not on a phone.
 * The words stay plain strings (not precompiled to functions at build time): `t`'s memo reads them
 * as they are (index.ts), and strings are smaller than compiled messages.
 */
import type { MessageCompiler, MessageContext } from 'vue-i18n'

/** One plural case: text and named values, in order. */
type Case = (string | { named: string })[]

const NAMED = /\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}/g
/** vue-i18n's syntax other than `{name}` and `|` (links, literals, lists, `%{name}`): not for this compiler. */
const OTHER_SYNTAX = /[{}@$]/
const PERCENT_NAMED = /%\{/

/**
 * The plural cases of a message, or null when it uses syntax beyond named values and plurals.
 * Spaces around each `|` belong to the separator, as in vue-i18n.
 */
export function parseMessage(source: string): Case[] | null {
  if (PERCENT_NAMED.test(source) || OTHER_SYNTAX.test(source.replace(NAMED, ''))) return null
  const texts = source.split('|')
  return texts.map((text, i) => {
    let trimmed = text
    if (i > 0) trimmed = trimmed.replace(/^\s+/, '')
    if (i < texts.length - 1) trimmed = trimmed.replace(/\s+$/, '')
    const parts: Case = []
    let at = 0
    for (const m of trimmed.matchAll(NAMED)) {
      if (m.index > at) parts.push(trimmed.slice(at, m.index))
      parts.push({ named: m[1]! })
      at = m.index + m[0].length
    }
    if (at < trimmed.length) parts.push(trimmed.slice(at))
    return parts
  })
}

/** A named value as vue-i18n shows it: nothing for a missing one. */
const shown = (value: unknown): string => (value == null ? '' : typeof value === 'object' ? JSON.stringify(value, null, 2) : String(value))

export const compileMessage: MessageCompiler = (message) => {
  // Only strings reach here: the words are plain strings, nothing is precompiled.
  const source = String(message)
  const cases = parseMessage(source)
  if (cases === null) {
    if (import.meta.env?.DEV) console.warn(`message syntax not supported (client/src/i18n/compile.ts): ${source}`)
    return () => source
  }
  const fill = (ctx: MessageContext, parts: Case) => parts.map((p) => (typeof p === 'string' ? p : shown(ctx.named(p.named)))).join('')
  const [only] = cases
  return cases.length === 1 ? (ctx: MessageContext) => fill(ctx, only!) : (ctx: MessageContext) => ctx.plural(cases.map((c) => fill(ctx, c)))
}
