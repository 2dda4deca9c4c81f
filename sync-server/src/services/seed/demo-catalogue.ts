/**
 * The demo program, modelled on the source documents (../shared/seeds/000_*.txt): "Conciliare le
 * responsabilità", ATS Val Padana with ASST di Crema as lead partner, its four territories, the
 * partner cooperatives as providers, and the ten services of the filiera with weekly time slots.
 * Pure data; demo-seed.ts writes it.
 */
import type { Program, Provider, Service } from '../../../../shared/catalogue/catalogue.schema.ts'

export const PROGRAM: Program & { leadPartner: string } = {
  id: 'prg-conciliare',
  name: 'Conciliare le responsabilità',
  shortName: 'Conciliare',
  agency: 'ATS Val Padana',
  leadPartner: 'ASST di Crema',
  voucherAmountCents: 30000,
  voucherCoveragePercent: 100,
  timeZone: 'Europe/Rome',
  // Emergency babysitting (issue 9): the usual cooperative's head start and the hourly rate the hold uses.
  emergencyHeadStartMinutes: 10,
  emergencyHourlyCents: 1800,
  emergencyContact: 'Sportello Conciliazione ATS Val Padana, lun–ven 8:30–12:30 (demo)',
}

export const TERRITORIES = [
  { id: 'ter-crema', name: 'Crema' },
  { id: 'ter-cremona', name: 'Cremona' },
  { id: 'ter-casalmaggiore', name: 'Casalmaggiore' },
  { id: 'ter-viadana', name: 'Viadana/Mantova' },
] as const

type Svc = 'nursery' | 'play-space' | 'after-school' | 'babysitting' | 'adhd-lab' | 'dsa' | 'camp' | 'holiday' | 'accompaniment' | 'counselling'

interface DemoProvider extends Omit<Provider, 'programId'> {
  code: string
  operators: string[]
  services: Svc[]
}

const p = (slug: string, name: string, shortName: string, territoryId: string, operators: string[], services: Svc[], kind: Provider['kind'] = 'cooperative'): DemoProvider => ({
  id: `prv-${slug}`, name, shortName, territoryId, kind, code: `PRV-${slug.toUpperCase()}`, operators, services,
})

export const PROVIDERS: DemoProvider[] = [
  p('altana', 'ALTANA Società Cooperativa Sociale', 'ALTANA', 'ter-crema', ['Chiara Bettoni', 'Paolo Guerini', 'Elena Stanga'], ['babysitting', 'nursery', 'after-school']),
  p('koala', 'KOALA Cooperativa Sociale', 'KOALA', 'ter-crema', ['Marta Cremonesi', 'Luca Bressanelli'], ['play-space', 'camp', 'babysitting']),
  p('cosper', 'COSPER s.c.s. Impresa Sociale', 'COSPER', 'ter-crema', ['Giorgia Fusar Poli', 'Andrea Benzoni'], ['adhd-lab', 'dsa']),
  p('filika', 'Cooperativa Sociale FILIKÀ a r.l.', 'FILIKÀ', 'ter-crema', ['Silvia Ogliari', 'Davide Marazzi'], ['accompaniment', 'counselling', 'after-school']),
  p('igea', 'IGEA Società Cooperativa Sociale', 'IGEA', 'ter-crema', ['Francesca Tadi', 'Matteo Zanini', 'Laura Vailati'], ['holiday', 'camp']),
  p('umana', "L'UMANA AVVENTURA S.C.S.", "L'UMANA AVVENTURA", 'ter-cremona', ['Anna Ferrari', 'Giovanni Bodini', 'Sara Gazzoni'], ['babysitting', 'after-school', 'counselling']),
  p('cerchio', 'IL CERCHIO Soc. Cooperativa Sociale', 'IL CERCHIO', 'ter-cremona', ['Valentina Superti', 'Marco Rossetti'], ['play-space', 'nursery']),
  p('cortile', 'IL CORTILE Soc. Coop. Soc. Onlus', 'IL CORTILE', 'ter-cremona', ['Federica Pedretti', 'Simone Arcari'], ['dsa', 'adhd-lab', 'accompaniment']),
  p('tantetinte', 'TANTE TINTE Coop. Sociale Onlus', 'TANTE TINTE', 'ter-viadana', ['Giulia Mantovani', 'Stefano Bellini', 'Ilaria Bottoli'], ['babysitting', 'play-space']),
  p('giardino', 'GIARDINO DEI BIMBI S.C.S.', 'GIARDINO DEI BIMBI', 'ter-viadana', ['Roberta Gorni', 'Nicola Freddi'], ['nursery', 'camp']),
  p('alcenero', 'ALCE NERO Soc. Coop. Soc. Onlus', 'ALCE NERO', 'ter-viadana', ['Cristina Negri', 'Fabio Zaltieri'], ['after-school', 'holiday']),
  p('arche', 'ARCHÈ Coop. Soc. a r.l. Onlus', 'ARCHÈ', 'ter-viadana', ['Paola Sarzi', 'Alberto Bazzani'], ['counselling', 'dsa', 'accompaniment']),
  p('casalasco', 'Consorzio Casalasco dei Servizi Sociali', 'CONCASS', 'ter-casalmaggiore', ['Monica Ghisolfi', 'Emanuele Lena', 'Rita Bertoletti'], ['babysitting', 'after-school', 'camp'], 'public'),
]

/**
 * A demo operator's work phone, Italian mobile-shaped and deterministic ("+39 347 301 0100"):
 * provider `p`, operator `i`. Demo data: not anyone's number that we know of.
 */
export const demoPhone = (p: number, i: number) => `+39 347 ${300 + p} ${String(100 + i * 37 + p * 11).padStart(4, '0')}`

/** A weekly slot: ISO weekdays (1 = Monday), Rome wall-clock times, capacity and unit price. */
export interface Slot {
  days: number[]
  start: string
  end: string
  /** Days from start to end (weekly camps run Monday → Friday). */
  spanDays?: number
  places: number
  unitPriceCents: number
  unitsMax: number
}

type DemoService = Omit<Service, 'programId'> & { slug: Svc; slot: Slot }

/** English descriptions of the ten services (the Italian ones are in SERVICES below). */
const DESCRIPTIONS_EN: Record<Svc, string> = {
  nursery: "A day at the company nursery for employees' children, in the extra places the project pays for.",
  'play-space': 'An afternoon of play with educators, for children aged 0 to 3 and 4 to 6.',
  'after-school': 'Lunch, homework and activities after school, until 6 pm.',
  babysitting: 'A babysitter at home when your child is sick and you have to work. Book the hours you need.',
  'adhd-lab': 'A small group with specialised educators: attention, rules, independence.',
  dsa: 'Homework with method and compensatory tools for children and teenagers with learning disorders (DSA).',
  camp: 'A week of day camp while schools are closed (in summer and during the holidays).',
  holiday: 'A week of educational holiday in a group, with educators, away from home.',
  accompaniment: 'A worker takes your child to sports, therapy or activities and brings them back home.',
  counselling: 'A free interview to assess your needs and draw up the family conciliation plan.',
}

const s = (slug: Svc, category: Service['category'], name: string, nameEn: string, description: string, unit: Service['unit'], ages: [number, number], slot: Slot): DemoService => ({
  id: `svc-${slug}`, slug, category, name, nameEn, description, descriptionEn: DESCRIPTIONS_EN[slug], unit, ageMinYears: ages[0], ageMaxYears: ages[1], slot,
})

export const SERVICES: DemoService[] = [
  s('nursery', 'nursery', 'Asilo nido aziendale (posti aggiuntivi)', 'Company nursery (extra places)',
    'Una giornata al nido aziendale per bambine e bambini di chi lavora in azienda, nei posti aggiuntivi finanziati dal progetto.', 'day', [0, 3],
    { days: [1, 2, 3, 4, 5], start: '08:00', end: '16:00', places: 2, unitPriceCents: 3200, unitsMax: 1 }),
  s('play-space', 'play-space', 'Spazio gioco 0-6 anni', 'Play space (ages 0–6)',
    'Pomeriggio di gioco con educatrici, per bambini da 0 a 3 e da 4 a 6 anni.', 'meeting', [0, 6],
    { days: [2, 4], start: '16:30', end: '18:30', places: 8, unitPriceCents: 800, unitsMax: 1 }),
  s('after-school', 'after-school', 'Dopo-scuola', 'After-school',
    'Pranzo, compiti e attività dopo la scuola, fino alle 18.', 'day', [6, 11],
    { days: [1, 3, 5], start: '13:00', end: '18:00', places: 10, unitPriceCents: 2500, unitsMax: 1 }),
  s('babysitting', 'sick-child-babysitting', 'Baby sitting a domicilio per bambini malati', 'At-home babysitting while the child is sick',
    'Una baby sitter a casa quando la bambina o il bambino sta male e devi lavorare. Prenota le ore che servono.', 'hour', [0, 12],
    { days: [1, 2, 3, 4, 5, 6], start: '07:00', end: '19:00', places: 2, unitPriceCents: 1500, unitsMax: 8 }),
  s('adhd-lab', 'adhd-lab', 'Laboratorio per ragazze e ragazzi con deficit di attenzione (ADHD)', 'Lab for children with attention deficit (ADHD)',
    'Piccolo gruppo con educatori specializzati: attenzione, regole, autonomia.', 'meeting', [6, 14],
    { days: [3], start: '15:00', end: '17:00', places: 6, unitPriceCents: 3000, unitsMax: 1 }),
  s('dsa', 'dsa-after-school', 'Doposcuola specialistico DSA', 'Specialist after-school for learning disorders (DSA)',
    'Compiti con metodo e strumenti compensativi per bambini e ragazzi con DSA.', 'meeting', [6, 14],
    { days: [1, 4], start: '14:30', end: '17:30', places: 6, unitPriceCents: 2800, unitsMax: 1 }),
  s('camp', 'summer-camp', 'Centro ricreativo diurno', 'Day camp',
    "Settimana di centro ricreativo nei periodi di chiusura delle scuole (d'estate e durante le vacanze).", 'week', [3, 14],
    { days: [1], start: '08:30', end: '16:30', spanDays: 4, places: 15, unitPriceCents: 9000, unitsMax: 1 }),
  s('holiday', 'educational-holiday', 'Vacanza educativa', 'Educational holiday',
    'Una settimana di vacanza educativa in gruppo, con educatori, lontano da casa.', 'week', [7, 16],
    { days: [1], start: '09:00', end: '17:00', spanDays: 4, places: 10, unitPriceCents: 18000, unitsMax: 1 }),
  s('accompaniment', 'accompaniment', 'Accompagnamento assistito alle attività', 'Assisted accompaniment to activities',
    'Personale della cooperativa accompagna a sport, terapie o attività, poi di nuovo a casa.', 'hour', [6, 16],
    { days: [1, 3, 5], start: '15:00', end: '18:00', places: 3, unitPriceCents: 1200, unitsMax: 3 }),
  s('counselling', 'counselling', 'Consulenza per il piano di conciliazione', 'Personalised counselling (needs assessment, family plan)',
    'Colloquio gratuito per valutare i bisogni e definire il piano familiare di conciliazione.', 'meeting', [0, 16],
    { days: [2], start: '10:00', end: '11:00', places: 1, unitPriceCents: 0, unitsMax: 1 }),
]

export const OFFICER = { id: 'cod-officer-1', code: 'OFFICER-1', displayName: 'Ufficio di piano — ATS Val Padana' }

/** A demo activation code as printed at start-up. */
export interface DemoCode {
  code: string
  role: 'parent' | 'provider' | 'officer'
  who: string
  /** Missing: the first program. */
  programId?: string
}

/** The demo program's period: from the first of the month two months back (the demo's past) for a year and a half. */
export function demoPeriod(seedDay: string): { periodFrom: string; periodTo: string } {
  const [y, m] = seedDay.split('-').map(Number) as [number, number]
  const from = new Date(Date.UTC(y, m - 1 - 2, 1))
  const to = new Date(Date.UTC(y, m - 1 + 16, 0))
  return { periodFrom: from.toISOString().slice(0, 10), periodTo: to.toISOString().slice(0, 10) }
}

/** The demo's accredited price ceiling: the demo's price plus a fifth, rounded up to the euro. */
export const accreditedCeiling = (unitPriceCents: number): number => Math.ceil((unitPriceCents * 1.2) / 100) * 100
