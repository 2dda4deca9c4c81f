/**
 * The one list of error codes (contract: extend, never rename).
 * Rejection codes travel in push/pull results; `validation`, `unauthorized`, ... also as HTTP errors.
 * Messages here are the server's words (Italian first, English second); the client maps codes to
 * its own i18n strings in client/src/i18n.
 * No zod here: the phone's first screen imports this module (issue 10); the error body's schema is
 * error-answer.ts.
 */
export const REJECTION_CODES = [
  'capacity-full',
  'voucher-insufficient',
  'session-closed',
  'price-changed',
  'child-ineligible',
  'invalid-state',
  'forbidden',
  'not-found',
  'already-taken',
  'validation',
] as const
export type RejectionCode = (typeof REJECTION_CODES)[number]

/** Codes that only appear as HTTP errors, never as a mutation result. */
export const HTTP_ERROR_CODES = [
  ...REJECTION_CODES,
  'unauthorized',
  'payload-too-large',
  'rate-limited',
  'version-skew',
  'client-forbidden',
  'unavailable',
  'internal',
] as const
export type ErrorCode = (typeof HTTP_ERROR_CODES)[number]

export const MESSAGES: Record<ErrorCode, { it: string; en: string }> = {
  'capacity-full': {
    it: 'Posti esauriti per questa sessione.',
    en: 'This session is full.',
  },
  'voucher-insufficient': {
    it: 'Il credito del voucher di questo figlio non basta per questa prenotazione.',
    en: "This child's voucher balance is not enough for this booking.",
  },
  'session-closed': {
    it: 'Questa sessione non è più prenotabile (chiusa o già iniziata).',
    en: 'This session can no longer be booked (closed or already started).',
  },
  'price-changed': {
    it: 'Il prezzo è cambiato da quando hai preparato la richiesta.',
    en: 'The price changed since you prepared the request.',
  },
  'child-ineligible': {
    it: "L'età del bambino non rientra in quella prevista dal servizio.",
    en: "The child's age is outside the range of this service.",
  },
  'invalid-state': {
    it: "L'ordine è già stato cambiato da qualcun altro: non si può più fare questa operazione.",
    en: 'The order was already changed by someone else: this action is no longer possible.',
  },
  forbidden: { it: 'Non hai i permessi per questa operazione.', en: 'You are not allowed to do this.' },
  'not-found': { it: 'Elemento non trovato.', en: 'Not found.' },
  'already-taken': {
    it: "Già presa da un'altra cooperativa: la richiesta è stata accettata da qualcun altro.",
    en: 'Already taken by another cooperative: someone else accepted the request.',
  },
  validation: { it: 'Dati non validi.', en: 'Invalid data.' },
  unauthorized: {
    it: 'Accesso non valido: attiva di nuovo il dispositivo con il tuo codice.',
    en: 'Not signed in: activate this device again with your code.',
  },
  'payload-too-large': { it: 'Richiesta troppo grande.', en: 'Request too large.' },
  'rate-limited': { it: 'Troppe richieste, riprova tra poco.', en: 'Too many requests, try again shortly.' },
  'version-skew': {
    it: "L'app va aggiornata: ricarica la pagina. Le tue richieste in attesa sono conservate.",
    en: 'The app needs updating: reload. Your waiting requests are kept.',
  },
  'client-forbidden': {
    it: 'Questo dispositivo appartiene a un altro account.',
    en: 'This device belongs to another account.',
  },
  unavailable: { it: 'Servizio momentaneamente non disponibile.', en: 'Service temporarily unavailable.' },
  internal: { it: 'Errore interno.', en: 'Internal error.' },
}

export const messageFor = (code: ErrorCode): string => MESSAGES[code].it

/** Words for a refusal whose `details.reason` says more than its code (server side; the phone has its own). */
const REASON_MESSAGES: Record<string, { it: string; en: string }> = {
  'already-booked': {
    it: 'Questo figlio ha già una prenotazione di questa sessione: puoi cambiarne la quantità invece di prenotare di nuovo.',
    en: 'This child already has a booking of this session: you can change its quantity instead of booking again.',
  },
  'quantity-unchanged': { it: 'La prenotazione ha già questa quantità.', en: 'The booking already has this quantity.' },
  'cancellation-window': {
    it: "Non si può più annullare: il programma permette di disdire solo fino a un certo numero di ore prima dell'inizio.",
    en: 'Too late to cancel: the program allows cancelling only up to some hours before the start.',
  },
  'outside-program-period': {
    it: 'La sessione è fuori dal periodo del programma: non si può prenotare.',
    en: "This session is outside the program's period: it cannot be booked.",
  },
  'need-not-accepted': {
    it: 'Questo servizio non è attrezzato per i bisogni del bambino.',
    en: "This service is not equipped for the child's needs.",
  },
  'needs-only': { it: 'Questo servizio è riservato ai bambini con bisogni specifici.', en: 'This service is only for children with specific needs.' },
  'not-accredited': { it: 'Il vostro ente non è accreditato per questo servizio.', en: 'Your organisation is not accredited for this service.' },
  'provider-suspended': { it: "L'accreditamento del vostro ente è sospeso.", en: 'Your accreditation is suspended.' },
  'price-above-accredited': { it: 'Prezzo oltre quello accreditato dal programma.', en: 'Price above the one the program accredited.' },
}

/** The server's words for a refusal: its reason's when it has one, else its code's. */
export function refusalMessage(code: ErrorCode, details?: Record<string, unknown>): { it: string; en: string } {
  const reason = details?.reason
  return (typeof reason === 'string' && Object.hasOwn(REASON_MESSAGES, reason) ? REASON_MESSAGES[reason] : undefined) ?? MESSAGES[code]
}
