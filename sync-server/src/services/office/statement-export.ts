/**
 * A statement as the accounting office opens it in its spreadsheet, in Italian, without fixing
 * anything: an .xlsx (exceljs) whose amounts are numbers in euro with a currency format (the
 * spreadsheet shows them with the reader's decimal comma), dates as dates in the program's time
 * zone, Italian headings with their accents, and the total as a SUM of the rows (the same figure as
 * the statement's total, to the cent: statements.rules.ts). The CSV variant is the Italian-locale
 * one (`;` between fields, UTF-8 with BOM, decimal comma, dd/mm/yyyy), which Excel in Italian opens
 * as it is. Both are built from the same typed answer, never from a second query.
 */
import ExcelJS from 'exceljs'
import { euroIt } from '../../../../shared/office/statements.rules.ts'
import type { Statement, StatementStatus } from '../../../../shared/office/statements.schema.ts'
import { offsetMinutes } from '../time-zone.ts'

export const STATUS_IT: Record<StatementStatus, string> = { draft: 'bozza', approved: 'approvato', paid: 'pagato' }

/**
 * The contract's columns, in this order (extended, never renamed): an emergency's row (issue 9) has no
 * booking, its request's id in the last column, and its hours as the quantity.
 */
export const HEADINGS = ['N.', 'Data erogazione', 'Servizio', 'Codice servizio', 'Bambino/a', 'Quantità', 'Importo voucher (€)', 'Prenotazione', 'Richiesta urgente']

/** Offsets by zone and UTC hour: a zone's offset only changes on the hour, and Intl is slow per row. */
const offsets = new Map<string, number>()
/** The wall clock in `timeZone` as a Date whose UTC fields show it (a spreadsheet date has no zone). */
const wallClock = (iso: string, timeZone: string): Date => {
  const at = new Date(iso)
  const key = `${timeZone}|${at.toISOString().slice(0, 13)}`
  let offset = offsets.get(key)
  if (offset === undefined) {
    if (offsets.size > 50_000) offsets.clear()
    offsets.set(key, (offset = offsetMinutes(at, timeZone)))
  }
  return new Date(at.getTime() + offset * 60_000)
}

const pad = (n: number) => String(n).padStart(2, '0')
/** dd/mm/yyyy hh:mm in the program's time zone. */
export function dateTimeIt(iso: string, timeZone: string): string {
  const d = wallClock(iso, timeZone)
  return `${pad(d.getUTCDate())}/${pad(d.getUTCMonth() + 1)}/${d.getUTCFullYear()} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`
}
const dateIt = (ymd: string) => ymd.split('-').reverse().join('/')

export function statementFileName(s: Statement, ext: 'xlsx' | 'csv'): string {
  const provider = s.providerId.replace(/^prv-/, '')
  return `rendiconto_${provider}_${s.from}_${s.to}.${ext}`
}

const EURO = '#,##0.00 "€"'

export async function statementXlsx(s: Statement, timeZone: string): Promise<Buffer> {
  const wb = new ExcelJS.Workbook()
  wb.creator = 'Conciliapp'
  const ws = wb.addWorksheet('Rendiconto')
  ws.addRow(['Rendiconto di liquidazione', s.providerName]).font = { bold: true }
  ws.addRow(['Periodo', `dal ${dateIt(s.from)} al ${dateIt(s.to)}`])
  ws.addRow(['Stato', STATUS_IT[s.status], 'Riferimento pagamento', s.reference ?? ''])
  ws.addRow(['Identificativo', s.id])
  ws.addRow([])
  const head = ws.addRow(HEADINGS)
  head.font = { bold: true }
  const first = head.number + 1
  s.rows.forEach((r, i) => {
    ws.addRow([i + 1, wallClock(r.deliveredAt, timeZone), r.serviceName, r.serviceId ?? '', r.childFirstName, r.quantity, r.voucherCents / 100, r.bookingId ?? '', r.emergencyRequestId ?? ''])
  })
  const last = first + s.rows.length - 1
  const total = ws.addRow(['', '', '', '', 'Totale', null, { formula: `SUM(G${first}:G${last})`, result: s.totalCents / 100 }])
  total.font = { bold: true }
  ws.getColumn(2).numFmt = 'dd/mm/yyyy hh:mm'
  ws.getColumn(7).numFmt = EURO
  const widths = [6, 18, 34, 22, 16, 10, 20, 40, 40]
  widths.forEach((w, i) => (ws.getColumn(i + 1).width = w))
  ws.views = [{ state: 'frozen', ySplit: head.number }]
  // Deflate level 1: the file is a little larger (a few KB in 200) and written in a fraction of the time
  // level 6 (JSZip's default) takes for the sheet's XML (bench:office, "export .xlsx").
  return Buffer.from(await wb.xlsx.writeBuffer({ zip: { compression: 'DEFLATE', compressionOptions: { level: 1 } } } as ExcelJS.XlsxWriteOptions))
}

const field = (v: string | number): string => {
  const t = String(v)
  return /[";\n\r]/.test(t) ? `"${t.replace(/"/g, '""')}"` : t
}

/** The Italian CSV: BOM, `;`, decimal comma, dd/mm/yyyy hh:mm, CRLF; a last line with the total. */
export function statementCsv(s: Statement, timeZone: string): string {
  const lines: (string | number)[][] = [HEADINGS]
  s.rows.forEach((r, i) => {
    lines.push([i + 1, dateTimeIt(r.deliveredAt, timeZone), r.serviceName, r.serviceId ?? '', r.childFirstName, r.quantity, euroIt(r.voucherCents), r.bookingId ?? '', r.emergencyRequestId ?? ''])
  })
  lines.push(['', '', '', '', 'Totale', '', euroIt(s.totalCents), '', ''])
  return '\uFEFF' + lines.map((l) => l.map(field).join(';')).join('\r\n') + '\r\n'
}
