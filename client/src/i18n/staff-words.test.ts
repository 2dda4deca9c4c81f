import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join, relative } from 'node:path'
import { describe, expect, it, vi } from 'vitest'
import en from './en.ts'
import enStaff from './en.staff.ts'
import itWords from './it.ts'
import itStaff from './it.staff.ts'

const keys = (node: unknown, prefix = ''): string[] =>
  typeof node === 'object' && node !== null ? Object.entries(node).flatMap(([k, v]) => keys(v, prefix ? `${prefix}.${k}` : k)) : [prefix]

/**
 * The screens of the staff's routes (router.ts: roles without 'parent'), and the shell's nav and menu,
 * whose staff entries show for those roles only (rendered again if they come before the words), and
 * the provider's urgent requests (EmergencyInbox: a part of InboxView only).
 */
const STAFF_FILES = /^features\/(inbox|office|operators|payments|sessions)\/|^features\/shell\/Shell(Nav|Menu)\.vue$|^features\/emergency\/EmergencyInbox\.vue$/

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f)
    return statSync(p).isDirectory() ? sources(p) : /\.(ts|vue)$/.test(f) && !/\.test\.ts$/.test(f) ? [p] : []
  })
}

describe('the staff’s words, a chunk of their own (it.staff.ts, en.staff.ts)', () => {
  it('have the same keys in both languages, and none of the family’s words', () => {
    expect(keys(enStaff).sort()).toEqual(keys(itStaff).sort())
    expect(keys(en).sort()).toEqual(keys(itWords).sort())
    expect(Object.keys(itStaff).filter((ns) => Object.hasOwn(itWords, ns))).toEqual([])
  })

  it('are used by the staff’s screens only (a family’s phone never loads them)', () => {
    const root = join(import.meta.dirname, '..')
    const namespaces = Object.keys(itStaff)
    const used = new RegExp(`['"\`](${namespaces.join('|')})\\.[a-zA-Z]`)
    const outside = sources(root)
      .map((p) => relative(root, p).replaceAll('\\', '/'))
      .filter((p) => !p.startsWith('i18n/') && !STAFF_FILES.test(p) && used.test(readFileSync(join(root, p), 'utf8')))
    expect(outside).toEqual([])
  })

  it('load on demand, in Italian and in English, whichever comes first', async () => {
    for (const englishFirst of [false, true]) {
      vi.resetModules()
      const fresh = await import('./index.ts')
      const g = fresh.i18n.global
      expect(g.te('inbox.title', 'it')).toBe(false)
      expect(fresh.staffWordsReady.value).toBe(false) // the shell's nav waits for them (App.vue)
      if (englishFirst) await fresh.loadLocale('en')
      await fresh.loadStaffWords()
      expect(fresh.staffWordsReady.value).toBe(true)
      if (!englishFirst) await fresh.loadLocale('en')
      expect([g.te('inbox.title', 'it'), g.te('inbox.title', 'en')]).toEqual([true, true])
      await fresh.setLocale('en')
      expect(g.t('inbox.title')).toBe(enStaff.inbox.title)
      await fresh.setLocale('it')
      expect(g.t('inbox.title')).toBe(itStaff.inbox.title)
      expect(g.t('plan.title')).toBe(itWords.plan.title)
    }
  })
})
