/**
 * Voucher holds. A request holds its voucher share; cancel / decline / server refusal release it;
 * delivery consumes it. The balance can never go below zero and the three parts always add up.
 */
import { ok, refuse, type Result } from '../result.ts'
import type { Voucher } from './voucher.schema.ts'

export function hold(v: Voucher, cents: number): Result<Voucher> {
  if (cents > v.balanceCents) {
    return refuse('voucher-insufficient', { balanceCents: v.balanceCents, neededCents: cents })
  }
  return ok({ ...v, balanceCents: v.balanceCents - cents, heldCents: v.heldCents + cents })
}

export function release(v: Voucher, cents: number): Result<Voucher> {
  if (cents > v.heldCents) return refuse('invalid-state', { heldCents: v.heldCents, releaseCents: cents })
  return ok({ ...v, balanceCents: v.balanceCents + cents, heldCents: v.heldCents - cents })
}

export function consume(v: Voucher, cents: number): Result<Voucher> {
  if (cents > v.heldCents) return refuse('invalid-state', { heldCents: v.heldCents, consumeCents: cents })
  return ok({ ...v, heldCents: v.heldCents - cents, spentCents: v.spentCents + cents })
}

export const voucherAddsUp = (v: Voucher): boolean =>
  v.balanceCents >= 0 && v.heldCents >= 0 && v.spentCents >= 0 &&
  v.balanceCents + v.heldCents + v.spentCents === v.amountCents
