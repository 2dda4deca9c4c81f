import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join, relative } from 'node:path'
import { describe, expect, it } from 'vitest'
import { mountWithApp } from '../test/mount.ts'
import UiBackLink from './UiBackLink.vue'

const SRC = join(__dirname, '..')
const vueFiles = (dir: string): string[] =>
  readdirSync(dir).flatMap((f) => (statSync(join(dir, f)).isDirectory() ? vueFiles(join(dir, f)) : f.endsWith('.vue') ? [join(dir, f)] : []))

describe('UiBackLink', () => {
  it('is a 44 px link with a chevron and the place it leads to, said "Indietro: <place>"', async () => {
    const { wrapper, router } = mountWithApp(UiBackLink, { props: { to: { name: 'plan' }, label: 'Il mio piano' } })
    await router.isReady()
    const a = wrapper.get('a')
    expect(a.classes()).toContain('back') // theme.css: inline-flex, min-height 2.75rem
    expect(a.attributes('href')).toBe('/plan')
    expect(a.get('svg').attributes('aria-hidden')).toBe('true')
    expect(a.get('.sr-only').text()).toBe('Indietro:')
    expect(a.text().replace(/\s+/g, ' ')).toBe('Indietro: Il mio piano')
  })

  it('is the only back link style: no screen writes its own (three styles before)', () => {
    const own = vueFiles(SRC)
      .filter((f) => !f.endsWith('UiBackLink.vue'))
      .flatMap((f) => {
        const template = readFileSync(f, 'utf8').split('<template>').slice(1).join('<template>')
        const hits = [
          ...template.matchAll(/<RouterLink[^>]*class="back[\s"][^>]*>/g),
          ...template.matchAll(/<RouterLink[^>]*>\s*(←|&larr;)[^<]*<\/RouterLink>/g),
          ...template.matchAll(/<RouterLink[^>]*>\s*\{\{\s*t\('[\w.]*\.back'\)\s*\}\}\s*<\/RouterLink>/g),
        ]
        // A button-styled link is an action in a row of actions (a pager's "← previous week", a form's "Indietro").
        return hits.filter((m) => !/class="btn[\s"]/.test(m[0])).map((m) => `${relative(SRC, f)}: ${m[0].slice(0, 80)}`)
      })
    expect(own).toEqual([])
  })
})
