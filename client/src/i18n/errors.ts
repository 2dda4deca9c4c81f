/**
 * THE one place where error and refusal codes become words (Italian and English), with the numbers
 * taken from the server's `details` (balance, new price, age range…). shared/errors.ts has the server's
 * own messages; the phone uses these so the words match the language the user chose.
 */
import { formatMoney, type Locale } from './format.ts'

type Details = Record<string, unknown>
type Words = (d: Details, locale: Locale) => string

const num = (d: Details, k: string): number | null => (typeof d[k] === 'number' ? (d[k] as number) : null)
const money = (d: Details, k: string, locale: Locale) => {
  const n = num(d, k)
  return n === null ? '' : formatMoney(n, locale)
}

const STATUS_WORDS: Record<Locale, Record<string, string>> = {
  it: { requested: 'in attesa del fornitore', confirmed: 'confermata', declined: 'rifiutata dal fornitore', cancelled: 'annullata', delivered: 'erogata', liquidated: 'liquidata' },
  en: { requested: 'waiting for the provider', confirmed: 'confirmed', declined: 'declined by the provider', cancelled: 'cancelled', delivered: 'delivered', liquidated: 'paid out' },
}

const IT: Record<string, Words> = {
  'capacity-full': () => 'Posti esauriti per questa sessione.',
  'voucher-insufficient': (d, l) =>
    num(d, 'balanceCents') !== null && num(d, 'neededCents') !== null
      ? `Il credito del voucher non basta: restano ${money(d, 'balanceCents', l)}, ne servono ${money(d, 'neededCents', l)}.`
      : 'Il credito del voucher di questo figlio non basta per questa prenotazione.',
  'session-closed': (d) =>
    d.status === 'cancelled' ? 'La sessione è stata annullata dal fornitore.' : 'La sessione non è più prenotabile: è chiusa o già iniziata.',
  'price-changed': (d, l) =>
    num(d, 'unitPriceCents') !== null
      ? `Il prezzo è cambiato: ora costa ${money(d, 'unitPriceCents', l)} all'unità${num(d, 'totalCents') !== null ? ` (totale ${money(d, 'totalCents', l)})` : ''}.`
      : 'Il prezzo è cambiato da quando hai preparato la richiesta.',
  'child-ineligible': (d) =>
    num(d, 'ageMinYears') !== null
      ? `L'età del bambino (${num(d, 'age') ?? '?'} anni) non rientra in quella del servizio (${num(d, 'ageMinYears')}–${num(d, 'ageMaxYears')} anni).`
      : "L'età del bambino non rientra in quella prevista dal servizio.",
  'invalid-state': (d) =>
    typeof d.status === 'string' && STATUS_WORDS.it[d.status]
      ? `L'ordine è già cambiato (ora: ${STATUS_WORDS.it[d.status]}): questa operazione non è più possibile.`
      : "L'ordine è già stato cambiato da qualcun altro: questa operazione non è più possibile.",
  forbidden: () => 'Non hai i permessi per questa operazione.',
  'not-found': () => 'Elemento non trovato: forse è stato rimosso.',
  'already-taken': () => 'La richiesta è già stata accettata da un altro operatore.',
  validation: (d) =>
    d.reason === 'quantity-too-large' ? `Quantità troppo alta: al massimo ${num(d, 'unitsMax') ?? '?'}.` : 'Dati non validi.',
  unauthorized: () => 'Accesso scaduto o revocato: attiva di nuovo il dispositivo con il tuo codice. Le richieste in attesa sono conservate.',
  'version-skew': () => "L'app va aggiornata: ricarica la pagina. Le richieste in attesa sono conservate.",
  network: () => 'Server non raggiungibile: riproveremo a breve.',
  unavailable: () => 'Servizio momentaneamente non disponibile: riproveremo a breve.',
  'rate-limited': () => 'Troppe richieste: riproveremo tra poco.',
  'payload-too-large': () => 'Richiesta troppo grande.',
  'client-forbidden': () => 'Questo dispositivo appartiene a un altro account.',
  'bad-response': () => 'Risposta inattesa dal server: riproveremo a breve.',
  internal: () => 'Errore interno: riproveremo a breve.',
}

const EN: Record<string, Words> = {
  'capacity-full': () => 'This session is full.',
  'voucher-insufficient': (d, l) =>
    num(d, 'balanceCents') !== null && num(d, 'neededCents') !== null
      ? `The voucher balance is not enough: ${money(d, 'balanceCents', l)} left, ${money(d, 'neededCents', l)} needed.`
      : "This child's voucher balance is not enough for this booking.",
  'session-closed': (d) =>
    d.status === 'cancelled' ? 'The provider cancelled this session.' : 'This session can no longer be booked: closed or already started.',
  'price-changed': (d, l) =>
    num(d, 'unitPriceCents') !== null
      ? `The price changed: now ${money(d, 'unitPriceCents', l)} per unit${num(d, 'totalCents') !== null ? ` (total ${money(d, 'totalCents', l)})` : ''}.`
      : 'The price changed since you prepared the request.',
  'child-ineligible': (d) =>
    num(d, 'ageMinYears') !== null
      ? `The child's age (${num(d, 'age') ?? '?'}) is outside this service's range (${num(d, 'ageMinYears')}–${num(d, 'ageMaxYears')} years).`
      : "The child's age is outside the range of this service.",
  'invalid-state': (d) =>
    typeof d.status === 'string' && STATUS_WORDS.en[d.status]
      ? `The order already changed (now: ${STATUS_WORDS.en[d.status]}): this action is no longer possible.`
      : 'The order was already changed by someone else: this action is no longer possible.',
  forbidden: () => 'You are not allowed to do this.',
  'not-found': () => 'Not found: it may have been removed.',
  'already-taken': () => 'The request was already accepted by another provider.',
  validation: (d) => (d.reason === 'quantity-too-large' ? `Quantity too high: at most ${num(d, 'unitsMax') ?? '?'}.` : 'Invalid data.'),
  unauthorized: () => 'Sign-in expired or revoked: activate this device again with your code. Waiting requests are kept.',
  'version-skew': () => 'The app needs updating: reload. Waiting requests are kept.',
  network: () => 'Server unreachable: we will retry shortly.',
  unavailable: () => 'Service temporarily unavailable: we will retry shortly.',
  'rate-limited': () => 'Too many requests: we will retry shortly.',
  'payload-too-large': () => 'Request too large.',
  'client-forbidden': () => 'This device belongs to another account.',
  'bad-response': () => 'Unexpected answer from the server: we will retry shortly.',
  internal: () => 'Internal error: we will retry shortly.',
}

const WORDS: Record<Locale, Record<string, Words>> = { it: IT, en: EN }

/** Words for a code, with the numbers from `details` where the server sent them. */
export function describeError(code: string, details: unknown, locale: Locale): string {
  const d = typeof details === 'object' && details !== null ? (details as Details) : {}
  const words = WORDS[locale][code] ?? (code.startsWith('http-5') ? WORDS[locale].unavailable : undefined)
  return words ? words(d, locale) : locale === 'it' ? `Errore (${code}).` : `Error (${code}).`
}
