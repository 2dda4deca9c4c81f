import { describe, expect, it } from 'vitest'
import { PROVIDERS, SERVICES, TERRITORIES } from '../../../sync-server/src/services/seed/demo-catalogue.ts'
import { TXT_SERVICES } from '../../../sync-server/src/services/seed/demo-txt.ts'
import { ERROR_WORDS } from './errors.ts'
import itWords from './it.ts'
import itStaff from './it.staff.ts'

const strings = (node: unknown, prefix = ''): [string, string][] =>
  typeof node === 'string' ? [[prefix, node]]
    : typeof node === 'object' && node !== null ? Object.entries(node).flatMap(([k, v]) => strings(v, prefix ? `${prefix}.${k}` : k)) : []

/**
 * Italian addressed to the person using the app fits everyone: mothers and fathers, operators of any
 * gender. Masculine (or feminine) forms aimed at "you" are reworded neutrally ("ti ha come riferimento",
 * "assenza"), never with ə or *. The patterns are the forms that slipped in before; a new one joins the list.
 */
const GENDERED = [
  /\b[Ss]ei (l’|il |un |uno |sicur|cert|pront|registrat|iscritt|collegat|conness|stat[oa]\b)/,
  /\b[Bb]envenut[oa]\b/,
  /\b[Ss]arai (sicur|pront|avvisat|informat)/,
  /\b(il|Il) bambino è\b/,
  /\btu[oa] figli[oa]\b/i,
  /\bfigli[oa] malat[oa]\b/i,
  /\bnon si è presentat[oa]\b/i,
  /[ə*](?=\s|$)/,
]

describe('Italian words fit everyone', () => {
  it('address the user without gendered forms', () => {
    const all = [...strings(itWords), ...strings(itStaff, 'staff'), ...strings(ERROR_WORDS.it, 'errors')]
    const gendered = all.filter(([, s]) => GENDERED.some((re) => re.test(s))).map(([k, s]) => `${k}: ${s}`)
    expect(gendered).toEqual([])
  })

  // The demo catalogue is what every tour of the app reads first: its services speak to parents too.
  it('in the demo catalogue’s Italian names and descriptions', () => {
    const texts = [...SERVICES, ...TXT_SERVICES].flatMap((v) => [v.name, v.description])
      .concat(PROVIDERS.map((p) => p.name), TERRITORIES.map((x) => x.name))
    expect(texts.length).toBeGreaterThan(20)
    expect(texts.filter((s) => GENDERED.some((re) => re.test(s)))).toEqual([])
  })
})
