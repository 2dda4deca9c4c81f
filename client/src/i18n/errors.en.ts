/**
 * The English words of errors.ts (which explains them): a chunk loaded with the English words
 * (index.ts `loadLocale`), so an Italian phone's first screen does not carry them (issue 10).
 * This module imports nothing of the app at run time, and gets what it needs from index.ts: main.ts
 * awaits the English words at its top level, so a chunk importing the app's own chunk would wait for
 * the app's evaluation, which waits for it (the page stays blank).
 */
import type { ErrorWords } from './errors.ts'

export interface EnglishErrorHelpers {
  money: (cents: number) => string
  /** The program's period inside session-closed's words (errors.ts `span`). */
  span: (d: { periodFrom?: string; periodTo?: string }, from: string, to: string) => string
  /** The plan's words for a booking's status, in English. */
  planStates: Readonly<Record<string, string>>
}

const EN_REASON: Record<string, string> = {
  'deadline-passed': 'The time to answer by has passed: the request is no longer valid.',
  'no-open-proposal': 'This proposal of another time is no longer open: the request already changed.',
  ended: 'The requested time is already over.',
  'already-accepted': 'You already accepted this request.',
  'no-operator-on-call': 'No operator on call: mark who is on call before accepting.',
  'birth-date-by-office': 'The birth date decides which services the voucher covers: the programme office changes it. Ask for it from the child’s page.',
  'request-pending': 'A correction request for this child is already waiting for the office.',
  'same-birth-date': 'This is already the recorded birth date.',
  'already-decided': 'This request has already been decided.',
  'open-bookings': 'The family still has open bookings: they must be cancelled or delivered before the deletion.',
  'employer-exists': 'The programme already has an employer with this name: open that one instead of creating another.',
}

const EN_NEED: Record<string, string> = { disability: 'a disability', dsa: 'DSA or ADHD' }
const enWhen = (iso: string) => new Date(iso).toLocaleString('en-GB', { timeZone: 'Europe/Rome', weekday: 'short', day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' })

export function englishErrorWords({ money: enMoney, span, planStates }: EnglishErrorHelpers): ErrorWords {
  /** A booking's status inside invalid-state's words: the plan's words, but "requested" without "sent". */
  const enStatus = (status: string): string | undefined => (status === 'requested' ? 'waiting for the provider' : planStates[status])
  return {
    'capacity-full': 'This session is full.',
    'voucher-insufficient': {
      plain: "This child's voucher balance is not enough for this booking.",
      detailed: (d) => `The voucher balance is not enough: ${enMoney(d.balanceCents)} left, ${enMoney(d.neededCents)} needed.`,
    },
    'session-closed': {
      plain: 'This session can no longer be booked: closed or already started.',
      detailed: (d) => (d.reason === 'outside-program-period' ? `Session outside the program's period${span(d, 'from', 'to')}: not bookable.`
        : d.status === 'cancelled' ? 'The provider cancelled this session.' : null),
    },
    'price-changed': {
      plain: 'The price changed since you prepared the request.',
      detailed: (d) => `The price changed: now ${enMoney(d.unitPriceCents)} per unit (total ${enMoney(d.totalCents)}).`,
    },
    'child-ineligible': {
      plain: "The child's age is outside the range of this service.",
      detailed: (d) =>
        d.reason === 'need-not-accepted' ? `This service is not equipped for the child's needs (${EN_NEED[d.need ?? ''] ?? d.need}): choose a service that takes them.`
          : d.reason === 'needs-only' ? `This service is only for children with ${(d.needs ?? []).map((n) => EN_NEED[n] ?? n).join(' or ')}.`
            : d.age !== undefined ? `The child's age (${d.age}) is outside this service's range (${d.ageMinYears}–${d.ageMaxYears} years).` : null,
    },
    'invalid-state': {
      plain: 'The order was already changed by someone else: this action is no longer possible.',
      detailed: (d) =>
        d.reason === 'already-booked'
          ? `This child already has a booking of this session${d.quantity ? ` (quantity ${d.quantity})` : ''}: you can change its quantity instead of booking again.`
          : d.reason === 'cancellation-window' && d.windowHours !== undefined
            ? `Too late to cancel: the program allows cancelling up to ${d.windowHours} hours before the start${d.startsAt ? ` (${enWhen(d.startsAt)})` : ''}. Write to the provider if you cannot come.`
          : d.reason === 'not-started'
            ? `The service has not started yet: the delivery is recorded from its start${d.startsAt ? ` (${enWhen(d.startsAt)})` : ''}, not before. Nothing was recorded.`
          : d.reason === 'outside-session'
            ? "The delivery's date is outside the service's time: nothing was recorded."
          : d.reason === 'emergency-started'
            ? `The urgent sitting has already started${d.startsAt ? ` (${enWhen(d.startsAt)})` : ''}: it can no longer be cancelled. If the sitter did not come or is no longer needed, call the cooperative: it records what was done, and the rest goes back to the voucher.`
          : (d.reason && EN_REASON[d.reason]) || (d.status && enStatus(d.status) ? `The order already changed (now: ${enStatus(d.status)}): this action is no longer possible.` : null),
    },
    forbidden: {
      plain: 'You are not allowed to do this.',
      detailed: (d) =>
        d.reason === 'not-accredited' ? 'Your organisation is not accredited for this service: ask the program office to accredit you.'
          : d.reason === 'provider-suspended' ? 'The program office has suspended your accreditation: you cannot offer new sessions.' : null,
    },
    'not-found': 'Not found: it may have been removed.',
    'already-taken': 'Already taken by another cooperative: someone accepted the request before you.',
    validation: {
      plain: 'Invalid data.',
      detailed: (d) =>
        d.reason === 'quantity-too-large' && d.unitsMax !== undefined ? `Quantity too high: at most ${d.unitsMax}.`
          : d.reason === 'quantity-unchanged' ? 'The booking already has this quantity.'
          : d.reason === 'delivered-more-than-booked' ? `More than was asked for: at most ${typeof d.quantity === 'number' ? d.quantity : 'the quantity booked'}.`
          : d.reason === 'same-session' ? 'That is the session asked for: propose another day or time.'
          : d.reason === 'other-service' ? 'Only a session of the same service can be proposed.'
            : d.reason === 'price-above-accredited' && d.maxUnitPriceCents !== undefined ? `Price above the one the program accredited: at most ${enMoney(d.maxUnitPriceCents)} per unit.` : null,
    },
    unauthorized: 'Sign-in expired or revoked: activate this device again with your code. Waiting requests are kept.',
    'version-skew': 'The app needs updating: reload. Waiting requests are kept.',
    network: 'No connection: we will retry shortly.',
    unavailable: 'Service temporarily unavailable: we will retry shortly.',
    'rate-limited': 'Too many requests: we will retry shortly.',
    'payload-too-large': 'Request too large.',
    'client-forbidden': 'This device belongs to another account.',
    'bad-response': 'Unexpected answer: we will retry shortly.',
    internal: 'Internal error: we will retry shortly.',
  }
}
