/** Money is integer euro cents everywhere; these helpers keep it that way. */
export const isCents = (n: number): boolean => Number.isSafeInteger(n) && n >= 0

/** Part of a price covered by the voucher, for programs where the voucher covers a percentage (co-pay). */
export function voucherShare(totalCents: number, coveragePercent: number): number {
  return Math.floor((totalCents * coveragePercent) / 100)
}

export function formatCents(cents: number, locale = 'it-IT'): string {
  return new Intl.NumberFormat(locale, { style: 'currency', currency: 'EUR' }).format(cents / 100)
}
