/**
 * Demo families FAM-0001…: each with two children whose ages differ (so some services fit and
 * others answer `child-ineligible`) and a voucher per child. Birth dates are set relative to the
 * seeding day, so the ages hold for the weeks the demo sessions cover.
 */
import { addDays } from '../time-zone.ts'

const SURNAMES = ['Rossi', 'Bianchi', 'Colombo', 'Ferrari', 'Galli', 'Conti', 'Lombardi', 'Moretti', 'Barbieri', 'Fontana', 'Santini', 'Marini']
const NAMES = ['Giulia', 'Marco', 'Sofia', 'Luca', 'Alice', 'Tommaso', 'Aurora', 'Leonardo', 'Emma', 'Francesco', 'Ginevra', 'Riccardo']
/** Ages (years) of the two children, cycled: 2 & 8, 5 & 12, 9 & 14, 1 & 6, 4 & 10, 7 & 15. */
const AGES: [number, number][] = [[2, 8], [5, 12], [9, 14], [1, 6], [4, 10], [7, 15]]

export interface DemoChild {
  id: string
  firstName: string
  birthDate: string
  voucherId: string
}

export interface DemoFamily {
  id: string
  code: string
  name: string
  children: DemoChild[]
}

const pad = (n: number) => String(n).padStart(4, '0')

export function demoFamilies(count: number, seedDay: string): DemoFamily[] {
  return Array.from({ length: count }, (_, i) => {
    const n = i + 1
    const surname = SURNAMES[i % SURNAMES.length] ?? 'Rossi'
    const round = Math.floor(i / SURNAMES.length)
    const ages = AGES[i % AGES.length] ?? [2, 8]
    const children = ages.map((age, k) => {
      // Born age years and 40–100 days before the seeding day: the age holds for the next weeks.
      const birthDate = addDays(`${Number(seedDay.slice(0, 4)) - age}${seedDay.slice(4)}`, -(40 + ((n * 17 + k * 23) % 60)))
      return {
        id: `chd-${pad(n)}-${k + 1}`,
        firstName: NAMES[(2 * i + k) % NAMES.length] ?? 'Alex',
        birthDate,
        voucherId: `vch-${pad(n)}-${k + 1}`,
      }
    })
    return { id: `fam-${pad(n)}`, code: `FAM-${pad(n)}`, name: `Famiglia ${surname}${round > 0 ? ` ${round + 1}` : ''}`, children }
  })
}
