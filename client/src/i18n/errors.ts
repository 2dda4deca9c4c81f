/**
 * THE one place where error and refusal codes become words (Italian here, English in errors.en.ts), with the numbers
 * taken from the server's `details` (balance, new price, age range…). shared/errors.ts has the server's
 * own messages; the phone uses these so the words match the language the user chose.
 * Each table is keyed by the code types, so a code added in shared/ without Italian and English words
 * does not compile. A refusal's details are checked against its code's fields (shared/refusal-reader.ts,
 * the fields of the schemas in shared/refusals.ts without zod: these words are on the first screen) before
 * any words use them; details that do not fit, or say too little, get the code's plain words.
 */
import { REJECTION_CODES, type ErrorCode, type RejectionCode } from '../../../shared/errors.ts'
import { readRefusalDetails } from '../../../shared/refusal-reader.ts'
import type { ParsedRefusalDetails } from '../../../shared/refusals.ts'
import { formatMoney, type Locale } from './format.ts'
import it from './it.ts'

/** Codes the phone words: every server error code, and its own for failures with no server answer. */
export type WordedCode = ErrorCode | 'network' | 'bad-response'

/** A refusal's words: plain, or plain plus words using its parsed details (null: they say too little). */
export type RefusalWords<C extends RejectionCode> =
  | string
  | { plain: string; detailed: (d: ParsedRefusalDetails<C>) => string | null }

type RefusalTable = { [C in RejectionCode]: RefusalWords<C> }
export type ErrorWords = RefusalTable & Record<Exclude<WordedCode, RejectionCode>, string>

const itMoney = (cents: number) => formatMoney(cents, 'it')

/** A booking's status inside invalid-state's words: the plan's words, but "requested" without "sent". */
const IT_STATUS: Record<string, string> = { ...it.plan.states, requested: 'in attesa del fornitore' }
/** invalid-state's reasons that say more than a status (emergency requests, issue 9). */
const IT_REASON: Record<string, string> = {
  'deadline-passed': 'L’orario entro cui avere una risposta è già passato: la richiesta non è più valida.',
  'no-open-proposal': 'Questa proposta di un altro orario non è più aperta: la richiesta è già cambiata.',
  ended: 'L’orario richiesto è già finito.',
  'already-accepted': 'Avete già accettato questa richiesta.',
  'no-operator-on-call': 'Nessun operatore di turno: indica chi è reperibile prima di accettare.',
  // Children (issue 10).
  'birth-date-by-office': 'La data di nascita decide a quali servizi ha diritto il voucher: la cambia l’ufficio del programma. Chiedila dalla scheda del figlio.',
  'request-pending': 'C’è già una richiesta di correzione in attesa dell’ufficio per questo figlio.',
  'same-birth-date': 'È già questa la data di nascita registrata.',
  'already-decided': 'Questa richiesta è già stata decisa.',
  'open-bookings': 'La famiglia ha ancora prenotazioni aperte: vanno annullate o erogate prima della cancellazione.',
  // The office (issue 11).
  'employer-exists': 'Nel programma c’è già un datore di lavoro con questo nome: aprite quello invece di crearne un altro.',
}
/** The program's period inside session-closed's words: " (dal 1/11/2026 al 30/6/2027)", either end alone, or nothing. */
const dmy = (iso?: string) => iso?.split('-').reverse().map(Number).join('/')
export const span = (d: { periodFrom?: string; periodTo?: string }, from: string, to: string) => {
  const parts = [d.periodFrom && `${from} ${dmy(d.periodFrom)}`, d.periodTo && `${to} ${dmy(d.periodTo)}`].filter(Boolean)
  return parts.length ? ` (${parts.join(' ')})` : ''
}

/** A child's needs (shared/catalogue/needs.rules.ts), inside child-ineligible's words. */
const IT_NEED: Record<string, string> = { disability: 'disabilità', dsa: 'DSA o ADHD' }
const itWhen = (iso: string) => new Date(iso).toLocaleString('it-IT', { timeZone: 'Europe/Rome', weekday: 'short', day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' })

const IT: ErrorWords = {
  'capacity-full': 'Posti esauriti per questa sessione.',
  'voucher-insufficient': {
    plain: 'Il credito del voucher di questo figlio non basta per questa prenotazione.',
    detailed: (d) => `Il credito del voucher non basta: restano ${itMoney(d.balanceCents)}, ne servono ${itMoney(d.neededCents)}.`,
  },
  'session-closed': {
    plain: 'La sessione non è più prenotabile: è chiusa o già iniziata.',
    detailed: (d) => (d.reason === 'outside-program-period' ? `Sessione fuori dal periodo del programma${span(d, 'dal', 'al')}: non prenotabile.`
      : d.status === 'cancelled' ? 'La sessione è stata annullata dal fornitore.' : null),
  },
  'price-changed': {
    plain: 'Il prezzo è cambiato da quando hai preparato la richiesta.',
    detailed: (d) => `Il prezzo è cambiato: ora costa ${itMoney(d.unitPriceCents)} all'unità (totale ${itMoney(d.totalCents)}).`,
  },
  'child-ineligible': {
    plain: "L'età del bambino non rientra in quella prevista dal servizio.",
    detailed: (d) =>
      d.reason === 'need-not-accepted' ? `Questo servizio non è attrezzato per i bisogni del bambino (${IT_NEED[d.need ?? ''] ?? d.need}): scegli un servizio che li accoglie.`
        : d.reason === 'needs-only' ? `Questo servizio è riservato ai bambini con ${(d.needs ?? []).map((n) => IT_NEED[n] ?? n).join(' o ')}.`
          : d.age !== undefined ? `L'età del bambino (${d.age} anni) non rientra in quella del servizio (${d.ageMinYears}–${d.ageMaxYears} anni).` : null,
  },
  'invalid-state': {
    plain: "L'ordine è già stato cambiato da qualcun altro: questa operazione non è più possibile.",
    detailed: (d) =>
      d.reason === 'already-booked'
        ? `Questo figlio ha già una prenotazione di questa sessione${d.quantity ? ` (quantità ${d.quantity})` : ''}: puoi cambiarne la quantità invece di prenotare di nuovo.`
        : d.reason === 'cancellation-window' && d.windowHours !== undefined
          ? `Non si può più annullare: il programma permette di disdire fino a ${d.windowHours} ore prima dell'inizio${d.startsAt ? ` (${itWhen(d.startsAt)})` : ''}. Scrivi al fornitore se non potete venire.`
        : d.reason === 'not-started'
          ? `Il servizio non è ancora iniziato: l’erogazione si registra dal suo inizio${d.startsAt ? ` (${itWhen(d.startsAt)})` : ''}, non prima. Nulla è stato registrato.`
        : d.reason === 'outside-session'
          ? 'La data dell’erogazione è fuori dall’orario del servizio: nulla è stato registrato.'
        : d.reason === 'emergency-started'
          ? `Il servizio urgente è già iniziato${d.startsAt ? ` (${itWhen(d.startsAt)})` : ''}: non si può più annullare. Se la babysitter non è venuta o non serve più, chiama la cooperativa: registrerà quello che è stato fatto, e il resto torna sul voucher.`
        : (d.reason && IT_REASON[d.reason]) || (d.status && IT_STATUS[d.status] ? `L'ordine è già cambiato (ora: ${IT_STATUS[d.status]}): questa operazione non è più possibile.` : null),
  },
  forbidden: {
    plain: 'Non hai i permessi per questa operazione.',
    detailed: (d) =>
      d.reason === 'not-accredited' ? 'Il vostro ente non è accreditato per questo servizio: chiedete all’ufficio di piano di accreditarvi.'
        : d.reason === 'provider-suspended' ? 'L’accreditamento del vostro ente è sospeso dall’ufficio di piano: non potete offrire nuove sessioni.' : null,
  },
  'not-found': 'Elemento non trovato: forse è stato rimosso.',
  'already-taken': "Già presa da un'altra cooperativa: la richiesta è stata accettata da qualcun altro prima di te.",
  validation: {
    plain: 'Dati non validi.',
    detailed: (d) =>
      d.reason === 'quantity-too-large' && d.unitsMax !== undefined ? `Quantità troppo alta: al massimo ${d.unitsMax}.`
        : d.reason === 'quantity-unchanged' ? 'La prenotazione ha già questa quantità.'
        : d.reason === 'delivered-more-than-booked' ? `Più di quanto richiesto: al massimo ${typeof d.quantity === 'number' ? d.quantity : 'la quantità prenotata'}.`
        : d.reason === 'same-session' ? 'È la stessa sessione richiesta: proponi un altro giorno o orario.'
        : d.reason === 'other-service' ? 'Si può proporre solo una sessione dello stesso servizio.'
          : d.reason === 'price-above-accredited' && d.maxUnitPriceCents !== undefined ? `Prezzo oltre quello accreditato dal programma: al massimo ${itMoney(d.maxUnitPriceCents)} all'unità.` : null,
  },
  unauthorized: 'Accesso scaduto o revocato: attiva di nuovo il dispositivo con il tuo codice. Le richieste in attesa sono conservate.',
  'version-skew': "L'app va aggiornata: ricarica la pagina. Le richieste in attesa sono conservate.",
  network: 'Connessione non disponibile: riproveremo a breve.',
  unavailable: 'Servizio momentaneamente non disponibile: riproveremo a breve.',
  'rate-limited': 'Troppe richieste: riproveremo tra poco.',
  'payload-too-large': 'Richiesta troppo grande.',
  'client-forbidden': 'Questo dispositivo appartiene a un altro account.',
  'bad-response': 'Risposta inattesa: riproveremo a breve.',
  internal: 'Errore interno: riproveremo a breve.',
}

/**
 * Each language's words: Italian here (the default and the fallback, on the first screen), English in
 * errors.en.ts, which index.ts `loadLocale` loads with the English words and adds here, so an Italian
 * phone does not download them. The app shows English only once its words are loaded.
 */
export const ERROR_WORDS: { it: ErrorWords; en?: ErrorWords } = { it: IT }

const isRejectionCode = (code: string): code is RejectionCode => (REJECTION_CODES as readonly string[]).includes(code)

/** A refusal in words: the detailed ones when its details fit the code's fields and say enough. */
function refusalText<C extends RejectionCode>(table: RefusalTable, code: C, details: unknown): string {
  const words: RefusalWords<C> = table[code]
  if (typeof words === 'string') return words
  const parsed = readRefusalDetails(code, details)
  return (parsed && words.detailed(parsed)) || words.plain
}

/** Words for a code, with the numbers from `details` where the server sent them. */
export function describeError(code: string, details: unknown, locale: Locale): string {
  const words = ERROR_WORDS[locale] ?? ERROR_WORDS.it
  if (isRejectionCode(code)) return refusalText(words, code, details)
  if (Object.hasOwn(words, code)) return words[code as Exclude<WordedCode, RejectionCode>]
  if (code.startsWith('http-5')) return words.unavailable
  return locale === 'it' ? `Errore (${code}).` : `Error (${code}).`
}
