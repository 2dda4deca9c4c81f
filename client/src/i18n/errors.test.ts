/**
 * Codes become words with the numbers of details parsed by each code's schema; details that do not
 * fit (older, garbled, missing) get the code's plain words; a code without words does not compile.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { HTTP_ERROR_CODES } from '../../../shared/index.ts'
import { describeError, ERROR_WORDS, type ErrorWords } from './errors.ts'
import { loadLocale } from './index.ts'

// English error words load with the English words (errors.en.ts), as on a phone that chose English.
beforeAll(() => loadLocale('en'))

describe('describeError', () => {
  it('puts the numbers of well-formed details into words, in both languages', () => {
    const d = { balanceCents: 1500, neededCents: 4500, messageEn: 'from the server' }
    expect(describeError('voucher-insufficient', d, 'it')).toBe('Il credito del voucher non basta: restano €\u00a015,00, ne servono €\u00a045,00.')
    expect(describeError('voucher-insufficient', d, 'en')).toBe('The voucher balance is not enough: €15.00 left, €45.00 needed.')
    expect(describeError('price-changed', { unitPriceCents: 1800, totalCents: 5400 }, 'it')).toBe("Il prezzo è cambiato: ora costa €\u00a018,00 all'unità (totale €\u00a054,00).")
    expect(describeError('child-ineligible', { age: 5, ageMinYears: 0, ageMaxYears: 3 }, 'en')).toBe("The child's age (5) is outside this service's range (0–3 years).")
    expect(describeError('session-closed', { status: 'cancelled', alternatives: [] }, 'it')).toBe('La sessione è stata annullata dal fornitore.')
    expect(describeError('invalid-state', { status: 'confirmed', action: 'confirm' }, 'it')).toBe("L'ordine è già cambiato (ora: confermata): questa operazione non è più possibile.")
    expect(describeError('invalid-state', { status: 'requested', action: 'deliver' }, 'en')).toBe('The order already changed (now: waiting for the provider): this action is no longer possible.')
    expect(describeError('validation', { reason: 'quantity-too-large', unitsMax: 8 }, 'it')).toBe('Quantità troppo alta: al massimo 8.')
    // A delivery refused by the rules (booking or emergency): said as such, never as "someone else changed it".
    const early = { reason: 'not-started', startsAt: '2026-11-26T04:30:00.000Z' }
    expect(describeError('invalid-state', early, 'it')).toBe('Il servizio non è ancora iniziato: l’erogazione si registra dal suo inizio (gio 26 nov, 05:30), non prima. Nulla è stato registrato.')
    expect(describeError('invalid-state', early, 'en')).toBe('The service has not started yet: the delivery is recorded from its start (Thu 26 Nov, 05:30), not before. Nothing was recorded.')
    expect(describeError('invalid-state', { reason: 'emergency-started', startsAt: early.startsAt }, 'it')).toMatch(/^Il servizio urgente è già iniziato \(gio 26 nov, 05:30\): non si può più annullare\./)
    expect(describeError('invalid-state', { reason: 'emergency-started', startsAt: early.startsAt }, 'en')).toMatch(/^The urgent sitting has already started \(Thu 26 Nov, 05:30\): it can no longer be cancelled\./)
    expect(describeError('invalid-state', { reason: 'outside-session', startsAt: early.startsAt }, 'it')).toBe('La data dell’erogazione è fuori dall’orario del servizio: nulla è stato registrato.')
    expect(describeError('validation', { reason: 'delivered-more-than-booked', quantity: 3 }, 'it')).toBe('Più di quanto richiesto: al massimo 3.')
    expect(describeError('validation', { reason: 'delivered-more-than-booked', quantity: 3 }, 'en')).toBe('More than was asked for: at most 3.')
    const twice = { reason: 'already-booked', bookingId: 'b1', quantity: 3, status: 'confirmed' }
    expect(describeError('invalid-state', twice, 'it')).toBe('Questo figlio ha già una prenotazione di questa sessione (quantità 3): puoi cambiarne la quantità invece di prenotare di nuovo.')
    expect(describeError('invalid-state', twice, 'en')).toBe('This child already has a booking of this session (quantity 3): you can change its quantity instead of booking again.')
  })

  it('falls back to the plain words when details are absent, garbled or say too little', () => {
    expect(describeError('voucher-insufficient', null, 'it')).toBe('Il credito del voucher di questo figlio non basta per questa prenotazione.')
    expect(describeError('voucher-insufficient', { balanceCents: '15', neededCents: 4500 }, 'en')).toBe("This child's voucher balance is not enough for this booking.")
    expect(describeError('price-changed', 'the price changed', 'it')).toBe('Il prezzo è cambiato da quando hai preparato la richiesta.')
    expect(describeError('price-changed', { unitPriceCents: 1800 }, 'en')).toBe('The price changed since you prepared the request.')
    expect(describeError('child-ineligible', { age: null, ageMinYears: 0, ageMaxYears: 3 }, 'it')).toBe("L'età del bambino non rientra in quella prevista dal servizio.")
    expect(describeError('session-closed', { status: 'closed' }, 'it')).toBe('La sessione non è più prenotabile: è chiusa o già iniziata.')
    expect(describeError('session-closed', { reason: 'outside-program-period', startsAt: '2027-07-01T08:00:00.000Z', periodFrom: '2026-09-01', periodTo: '2027-06-30' }, 'it'))
      .toBe('Sessione fuori dal periodo del programma (dal 1/9/2026 al 30/6/2027): non prenotabile.')
    expect(describeError('session-closed', { reason: 'outside-program-period', periodTo: '2027-06-30' }, 'en'))
      .toBe("Session outside the program's period (to 30/6/2027): not bookable.")
    expect(describeError('session-closed', { status: 'cancelled', alternatives: [{ sessionId: 1 }] }, 'en')).toBe('This session can no longer be booked: closed or already started.')
    expect(describeError('invalid-state', { status: 'teleported' }, 'it')).toBe("L'ordine è già stato cambiato da qualcun altro: questa operazione non è più possibile.")
    expect(describeError('invalid-state', { reason: 'conflict' }, 'en')).toBe('The order was already changed by someone else: this action is no longer possible.')
    expect(describeError('validation', { reason: 'quantity-too-large' }, 'it')).toBe('Dati non validi.')
    expect(describeError('capacity-full', [1, 2], 'it')).toBe('Posti esauriti per questa sessione.')
  })

  it('words the HTTP and client codes, and anything else generically', () => {
    expect(describeError('network', undefined, 'it')).toBe('Connessione non disponibile: riproveremo a breve.')
    expect(describeError('http-502', undefined, 'en')).toBe('Service temporarily unavailable: we will retry shortly.')
    expect(describeError('teapot', undefined, 'it')).toBe('Errore (teapot).')
    expect(describeError('toString', undefined, 'en')).toBe('Error (toString).')
  })

  it('has words for every code the server sends, in both languages', () => {
    for (const locale of ['it', 'en'] as const) {
      for (const code of HTTP_ERROR_CODES) {
        const words = ERROR_WORDS[locale]![code]
        expect(typeof words === 'string' ? words : words.plain, `${locale} ${code}`).toMatch(/\S/)
        expect(describeError(code, undefined, locale)).not.toMatch(/^Err(or|ore) \(/)
      }
    }
  })

  it('does not compile when a code has no words', () => {
    const { 'already-taken': _left, ...withoutOne } = ERROR_WORDS.it
    // @ts-expect-error 'already-taken' is missing: every rejection code needs words
    const incomplete: ErrorWords = withoutOne
    const { network: _gone, ...withoutNetwork } = ERROR_WORDS.en!
    // @ts-expect-error 'network' is missing: the phone's own codes need words too
    const alsoIncomplete: ErrorWords = withoutNetwork
    expect([incomplete, alsoIncomplete].every((w) => !('already-taken' in w && 'network' in w))).toBe(true)
  })

  it('keeps the English words in a chunk that imports nothing of the app at run time', () => {
    // main.ts awaits the English words at its top level: a chunk importing the app's own chunk
    // would wait for the app's evaluation, which waits for it, and the page would stay blank.
    const source = readFileSync(join(import.meta.dirname, 'errors.en.ts'), 'utf8')
    expect(source.match(/^import (?!type\b).*$/gm) ?? []).toEqual([])
    expect(ERROR_WORDS.en?.['capacity-full']).toBe('This session is full.')
    expect(describeError('invalid-state', { status: 'confirmed', action: 'cancel' }, 'en')).toMatch(/^The order already changed \(now: .+\)/)
  })
})
