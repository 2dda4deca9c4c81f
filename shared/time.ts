/**
 * Date helpers that take time as an argument (shared/ never reads the clock).
 * Ages are counted on calendar dates (YYYY-MM-DD), which is what eligibility rules mean.
 */
export const isoDate = (isoDateTime: string): string => isoDateTime.slice(0, 10)

/** Whole years between a birth date and a day (both YYYY-MM-DD or longer ISO strings). */
export function ageInYears(birthDate: string, onDate: string): number {
  const [by, bm, bd] = isoDate(birthDate).split('-').map(Number) as [number, number, number]
  const [y, m, d] = isoDate(onDate).split('-').map(Number) as [number, number, number]
  let age = y - by
  if (m < bm || (m === bm && d < bd)) age -= 1
  return age
}

/** Whole months between a birth date and a day (YYYY-MM-DD or ISO instants; calendar months). */
export function ageInMonths(birthDate: string, onDate: string): number {
  const [by, bm, bd] = isoDate(birthDate).split('-').map(Number) as [number, number, number]
  const [y, m, d] = isoDate(onDate).split('-').map(Number) as [number, number, number]
  return Math.max(0, (y - by) * 12 + (m - bm) - (d < bd ? 1 : 0))
}

/**
 * Order of two ISO dates or times of the same shape (what the server and the phone write): their
 * characters' order, which is time order. `localeCompare` gives the same order through the
 * collator, at a cost: sorting a 500-booking plan by it took ~60 ms of a slowed phone's cold start.
 */
export const compareIso = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0)

export const isBefore = (a: string, b: string): boolean => Date.parse(a) < Date.parse(b)
