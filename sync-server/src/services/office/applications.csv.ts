/**
 * Applications as a CSV file, one row per child (architecture.md, "Office API"). The header names
 * the columns, in any order and case: the application's fields (externalRef, applicantName, employer,
 * shiftWorker, householdFragility, iseeCents, submittedAt) and the child's (firstName, birthDate,
 * disability, dsa; also accepted as childFirstName, childBirthDate, childDisability, childDsa).
 * Rows of one application share its externalRef (or, without one, its applicantName and
 * submittedAt) and repeat its fields. Comma or semicolon separated (the header decides: an Italian
 * spreadsheet writes `;`), UTF-8 with or without BOM. Yes/no cells: true/false, 1/0, sì/si/no,
 * yes/no, x; an empty cell is no. Every row is checked on its own and reported by its line; an
 * application with a bad row imports none of its rows (each is reported).
 */
import { z } from 'zod'
import { ApplicationChild, ApplicationInput, type ImportError } from '../../../../shared/office/calls.schema.ts'
import { AppError } from '../../errors.ts'
import { readCsvRecords } from './csv-records.ts'

/** An application ready to import, and the rows (lines, or positions) it came from. */
export interface Candidate {
  rows: number[]
  application: ApplicationInput
}

const FamilyFields = ApplicationInput.omit({ children: true })

const ALIASES: Record<string, string> = {
  externalref: 'externalRef', applicantname: 'applicantName', employer: 'employer', shiftworker: 'shiftWorker',
  householdfragility: 'householdFragility', iseecents: 'iseeCents', submittedat: 'submittedAt',
  firstname: 'firstName', childfirstname: 'firstName', birthdate: 'birthDate', childbirthdate: 'birthDate',
  disability: 'disability', childdisability: 'disability', dsa: 'dsa', childdsa: 'dsa',
}
const FAMILY = ['externalRef', 'applicantName', 'employer', 'shiftWorker', 'householdFragility', 'iseeCents', 'submittedAt'] as const
const BOOLEANS = new Set(['shiftWorker', 'householdFragility', 'disability', 'dsa'])
const REQUIRED = ['applicantName', 'submittedAt', 'firstName', 'birthDate']

/** Row messages are for the office, in Italian (zod's own Italian words; field names as in the file). */
const IT = { error: z.locales.it().localeError }

export const describeIssues = (error: z.ZodError): string =>
  error.issues.map((i) => (i.path.length ? `${i.path.map(String).join('.')}: ${i.message}` : i.message)).join('; ')

function cell(field: string, raw: string): unknown {
  const v = raw.trim()
  if (BOOLEANS.has(field)) {
    const b = v.toLowerCase()
    if (['', '0', 'false', 'no', 'n', 'f'].includes(b)) return false
    if (['1', 'true', 'yes', 'y', 'si', 'sì', 's', 'x', 't'].includes(b)) return true
    return v
  }
  if (v === '') return undefined
  if (field === 'iseeCents') return /^\d+$/.test(v) ? Number(v) : v
  return v
}

interface Row {
  line: number
  key: string
  family: Record<string, unknown>
  child: unknown
  error: string | null
}

export function parseApplicationsCsv(text: string): { candidates: Candidate[]; errors: ImportError[] } {
  const { head, body } = readCsvRecords(text)
  const columns = head.record.map((h) => ALIASES[h.trim().toLowerCase().replace(/[^a-z]/g, '')] ?? null)
  const missing = REQUIRED.filter((f) => !columns.includes(f))
  if (missing.length) throw new AppError('validation', { reason: 'csv-columns-missing', missing })

  const rows: Row[] = body.map(({ record, info }) => {
    const values: Record<string, unknown> = {}
    columns.forEach((f, i) => {
      if (f) values[f] = cell(f, record[i] ?? '')
    })
    const family = Object.fromEntries(FAMILY.map((f) => [f, values[f]]).filter(([, v]) => v !== undefined))
    const child = { firstName: values.firstName, birthDate: values.birthDate, disability: values.disability ?? false, dsa: values.dsa ?? false }
    const key = typeof values.externalRef === 'string' ? `ref:${values.externalRef}` : `who:${String(values.applicantName)}\u0000${String(values.submittedAt)}`
    let error = record.length !== head.record.length ? `attese ${head.record.length} colonne, trovate ${record.length}` : null
    if (!error) {
      const f = FamilyFields.safeParse(family, IT)
      const c = ApplicationChild.safeParse(child, IT)
      error = [f, c].flatMap((r) => (r.success ? [] : [describeIssues(r.error)])).join('; ') || null
    }
    return { line: info.lines, key, family, child, error }
  })

  const groups = new Map<string, Row[]>()
  for (const r of rows) groups.set(r.key, [...(groups.get(r.key) ?? []), r])
  const candidates: Candidate[] = []
  const errors: ImportError[] = []
  for (const group of groups.values()) {
    const [first] = group
    if (!first) continue
    for (const r of group.slice(1)) {
      const differs = FAMILY.filter((f) => JSON.stringify(r.family[f]) !== JSON.stringify(first.family[f]))
      if (!r.error && differs.length) r.error = `${differs.join(', ')}: diverso dalla riga ${first.line} della stessa domanda`
    }
    const bad = group.filter((r) => r.error)
    if (bad.length === 0) {
      const parsed = ApplicationInput.safeParse({ ...first.family, children: group.map((r) => r.child) }, IT)
      if (parsed.success) {
        candidates.push({ rows: group.map((r) => r.line), application: parsed.data })
        continue
      }
      first.error = describeIssues(parsed.error) // e.g. more children than an application may have
    }
    const badLines = group.filter((r) => r.error).map((r) => r.line)
    for (const r of group) {
      errors.push({ row: r.line, code: 'validation', message: r.error ?? `non importata: la riga ${badLines.join(', ')} della stessa domanda ha errori` })
    }
  }
  return { candidates, errors }
}

/** The JSON body's applications, each checked on its own; `row` is its position from 1. */
export function parseApplicationsJson(applications: readonly unknown[]): { candidates: Candidate[]; errors: ImportError[] } {
  const candidates: Candidate[] = []
  const errors: ImportError[] = []
  applications.forEach((a, i) => {
    const parsed = ApplicationInput.safeParse(a, IT)
    if (parsed.success) candidates.push({ rows: [i + 1], application: parsed.data })
    else errors.push({ row: i + 1, code: 'validation', message: describeIssues(parsed.error) })
  })
  return { candidates, errors }
}
