/**
 * The second demo program on the same platform, modelled on the Rho "+ t x t (più tempo per te)"
 * plan of ASL Milano 1 (../shared/seeds/004_*.txt, project 2): SER.CO.P. leads a local alliance of
 * cooperatives and small firms of the Rhodense; each employer's budget is turned into vouchers for
 * its employees, which cover PART of each price (here 50 %: the family pays the rest), spent on
 * vetted professionals on demand (babysitters, emergency nannies for school absences, strikes,
 * unexpected shifts and closures), holiday campus and time-saving services. Pure data; demo-txt.seed.ts
 * writes it. Its ids, codes and short names never collide with the first program's.
 */
import type { Program, Provider, Service } from '../../../../shared/catalogue/catalogue.schema.ts'
import type { Slot } from './demo-catalogue.ts'

export const TXT_PROGRAM: Program & { leadPartner: string } = {
  id: 'prg-txt',
  name: '+ t x t (più tempo per te)',
  shortName: '+ t x t',
  agency: 'ASL Milano 1',
  leadPartner: 'SER.CO.P. — Azienda Speciale dei Comuni del Rhodense',
  voucherAmountCents: 20000,
  voucherCoveragePercent: 50,
  timeZone: 'Europe/Rome',
}

export const TXT_TERRITORIES = [
  { id: 'ter-txt-rho', name: 'Rho' },
  { id: 'ter-txt-lainate', name: 'Lainate' },
  { id: 'ter-txt-arese', name: 'Arese' },
  { id: 'ter-txt-settimo', name: 'Settimo Milanese' },
] as const

/** The employers of the alliance, whose budgets became their employees' vouchers. */
export const TXT_EMPLOYERS = ['WaY Spa', 'Fiere In Srl', 'Alpha Network Srl', 'Legnopiù Srl', 'Parolo Srl', 'Nuovenergie Distribuzione Srl']
/** Each employer's budget for its employees' vouchers (cents), in TXT_EMPLOYERS' order. */
export const TXT_EMPLOYER_BUDGETS = [600_000, 400_000, 400_000, 300_000, 200_000, 300_000]

type TxtSvc = 'babysitter' | 'nanny' | 'campus' | 'time-saving'

export interface TxtProvider extends Omit<Provider, 'programId'> {
  code: string
  operators: string[]
  services: TxtSvc[]
}

const p = (slug: string, name: string, shortName: string, territoryId: string, operators: string[], services: TxtSvc[], kind: Provider['kind'] = 'cooperative'): TxtProvider => ({
  id: `prv-txt-${slug}`, name, shortName, territoryId, kind, code: `PRV-${slug.toUpperCase()}`, operators, services,
})

export const TXT_PROVIDERS: TxtProvider[] = [
  p('jobfamily', 'SER.CO.P. — Sportello Job Family', 'JOB FAMILY', 'ter-txt-rho', ['Daniela Colombo', 'Irene Galbiati', 'Roberto Mauri'], ['babysitter', 'nanny', 'time-saving'], 'public'),
  p('stripes', 'Stripes Cooperativa Sociale Onlus', 'STRIPES', 'ter-txt-rho', ['Martina Brambilla', 'Giorgio Pirovano'], ['nanny', 'campus']),
  p('cooperho', 'Consorzio Cooperho', 'COOPERHO', 'ter-txt-lainate', ['Elisa Radaelli', 'Fabrizio Sala'], ['babysitter', 'campus']),
  p('aei', 'A&I Società Cooperativa Sociale Onlus', 'A&I', 'ter-txt-settimo', ['Serena Villa', 'Tommaso Re'], ['nanny', 'babysitter']),
]

export type TxtService = Omit<Service, 'programId'> & { slug: TxtSvc; slot: Slot }

const s = (slug: TxtSvc, category: Service['category'], name: string, nameEn: string, description: string, unit: Service['unit'], ages: [number, number], slot: Slot): TxtService => ({
  id: `svc-txt-${slug}`, slug, category, name, nameEn, description, unit, ageMinYears: ages[0], ageMaxYears: ages[1], slot,
})

export const TXT_SERVICES: TxtService[] = [
  s('babysitter', 'babysitting-on-demand', 'Babysitter on demand', 'Babysitter on demand',
    'Una babysitter selezionata dallo sportello Job Family, a casa tua nelle ore che scegli. Per richieste ricorrenti, la stessa persona.', 'hour', [0, 12],
    { days: [1, 2, 3, 4, 5, 6], start: '07:00', end: '21:00', places: 3, unitPriceCents: 1400, unitsMax: 8 }),
  s('nanny', 'emergency-nanny', "Tata d'emergenza", 'Emergency nanny',
    'Per assenze da scuola, scioperi, turni di lavoro imprevisti e chiusure delle scuole: una tata qualificata in poche ore.', 'hour', [0, 12],
    { days: [1, 2, 3, 4, 5], start: '06:30', end: '20:00', places: 2, unitPriceCents: 1600, unitsMax: 10 }),
  s('campus', 'holiday-campus', 'Campus nelle chiusure scolastiche', 'Holiday campus while schools are closed',
    'Giornate di campus con educatori nei giorni di chiusura delle scuole e durante le festività.', 'day', [3, 14],
    { days: [1, 2, 3, 4, 5], start: '08:00', end: '17:00', places: 12, unitPriceCents: 3500, unitsMax: 1 }),
  s('time-saving', 'time-saving', 'Servizi salva-tempo (stireria, lavanderia, commissioni)', 'Time-saving services (ironing, laundry, errands)',
    'Stireria, lavanderia, pulizie straordinarie e commissioni, per recuperare tempo per la famiglia.', 'hour', [0, 16],
    { days: [1, 3, 5], start: '09:00', end: '18:00', places: 4, unitPriceCents: 1500, unitsMax: 4 }),
]

export const TXT_OFFICER = { id: 'cod-officer-txt', code: 'OFFICER-TXT', displayName: 'Ufficio di piano — ASL Milano 1 (+ t x t)' }
/** The first program's second officer: statements need two people, one prepares and another approves. */
export const SECOND_OFFICER = { id: 'cod-officer-2', code: 'OFFICER-2', displayName: 'Ufficio di piano — ATS Val Padana (seconda firma)' }
