/**
 * The accounting office's spreadsheet: a statement prepared through the API, exported as .xlsx and as
 * the Italian CSV, opened by LibreOffice Calc (headless, Italian locale) as the office would open it.
 * Needs `soffice` (Debian: libreoffice-calc-nogui; .ci/run installs it), so it lives in the system
 * project (`npm run test:system`), not in `npm test`. Fails, never skips, when soffice is missing.
 *
 * Checked: the headings with their accents, dates in dd/mm/yyyy in Rome time, amounts as numbers
 * shown with a decimal comma and the euro sign, and the total (a SUM in the sheet) equal to the
 * statement's total to the cent; the CSV's amounts are read by Calc as numbers, not as text. The
 * statement holds two bookings and a delivered emergency (issue 9: its request id in the last column).
 */
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import ExcelJS from 'exceljs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { euroIt } from '../../shared/office/statements.rules.ts'
import { Statement } from '../../shared/office/statements.schema.ts'
import type { SyncClient} from '../src/test/sync-client.ts';
import { activateAll, json, uniqueId } from '../src/test/sync-client.ts'
import { createTestServer, TEST_NOW, type TestServer } from '../src/test/test-server.ts'

let t: TestServer
let officer: SyncClient
let statement: Statement
const emergencyId = uniqueId('xls-em')
const dir = mkdtempSync(join(tmpdir(), 'conciliapp-export-'))

/** Calc converts `file` with `filter`; the Italian locale decides how numbers are shown. */
function soffice(file: string, to: string, infilter?: string): string {
  const out = join(dir, 'out')
  execFileSync('soffice', [
    '--headless', `-env:UserInstallation=file://${join(dir, 'profile')}`, ...(infilter ? [`--infilter=${infilter}`] : []),
    '--convert-to', to, '--outdir', out, file,
  ], { env: { ...process.env, LANG: 'it_IT.UTF-8', LC_ALL: 'it_IT.UTF-8' }, timeout: 120_000, stdio: 'pipe' })
  const base = file.split('/').pop()!.replace(/\.[a-z]+$/, '')
  return join(out, `${base}.${to.split(':')[0]}`)
}

beforeAll(async () => {
  t = await createTestServer({ families: 2 })
  const [fam, prv, off] = await activateAll(t.app, ['FAM-0001', 'PRV-ALTANA', 'OFFICER-1'])
  officer = off
  for (const [session, quantity, at] of [['ses-altana-babysitting-20261123', 3, '2026-11-23T17:00:00.000Z'], ['ses-altana-babysitting-20261124', 1, '2026-11-24T10:05:00.000Z']] as const) {
    const bookingId = uniqueId('xls')
    expect((await fam.push('booking.request', { bookingId, childId: 'chd-0001-1', sessionId: session, quantity })).status).toBe('applied')
    expect((await prv.push('booking.confirm', { bookingId })).status).toBe('applied')
    t.clock.set(at) // a delivery is recorded once the session has started
    expect((await prv.push('booking.deliver', { bookingId, deliveredAt: at })).status).toBe('applied')
  }
  // And an emergency (issue 9): three hours delivered by ALTANA, the family's usual cooperative.
  t.clock.set('2026-11-25T06:00:00.000Z')
  expect((await fam.push('emergency.request', {
    requestId: emergencyId, childId: 'chd-0001-2', startsAt: '2026-11-25T06:30:00.000Z', endsAt: '2026-11-25T10:30:00.000Z', territoryId: 'ter-crema',
  })).status).toBe('applied')
  expect((await prv.push('emergency.accept', { requestId: emergencyId })).status).toBe('applied')
  t.clock.set('2026-11-25T09:00:00.000Z')
  expect((await prv.push('emergency.deliver', { requestId: emergencyId, deliveredHours: 3 })).status).toBe('applied')
  t.clock.set(TEST_NOW)
  const res = await t.app.request('/api/office/statements', json(officer.token, { providerId: 'prv-altana', from: '2026-11-01', to: '2026-11-30' }))
  statement = Statement.parse(await res.json())
}, 120_000)
afterAll(async () => {
  await t.close()
  rmSync(dir, { recursive: true, force: true })
})

async function download(format: 'xlsx' | 'csv'): Promise<string> {
  const res = await t.app.request(`/api/office/statements/${statement.id}/export?format=${format}`, { headers: { authorization: `Bearer ${officer.token}` } })
  expect(res.status).toBe(200)
  expect(res.headers.get('content-disposition')).toBe(`attachment; filename="rendiconto_altana_2026-11-01_2026-11-30.${format}"`)
  const file = join(dir, `rendiconto.${format}`)
  writeFileSync(file, Buffer.from(await res.arrayBuffer()))
  return file
}

describe('the statement in the accounting office’s spreadsheet (LibreOffice Calc, Italian)', () => {
  it('opens the .xlsx with Italian headings, dates and euro amounts, and a total equal to the statement’s', async () => {
    const shown = readFileSync(soffice(await download('xlsx'), 'csv:Text - txt - csv (StarCalc):59,34,76,1,,1040,false,true,true'), 'utf8')
    const lines = shown.trim().split(/\r?\n/)
    expect(lines[0]).toBe('Rendiconto di liquidazione;ALTANA Società Cooperativa Sociale;;;;;;;')
    expect(lines[1]).toBe('Periodo;dal 01/11/2026 al 30/11/2026;;;;;;;')
    const head = lines.findIndex((l) => l.startsWith('N.;'))
    expect(lines[head]).toBe('N.;Data erogazione;Servizio;Codice servizio;Bambino/a;Quantità;Importo voucher (€);Prenotazione;Richiesta urgente')
    const rows = lines.slice(head + 1, head + 1 + statement.rows.length).map((l) => l.split(';'))
    expect(rows.map((r) => r[1])).toEqual(['23/11/2026 18:00', '24/11/2026 11:05', '25/11/2026 10:00'])
    expect(rows.map((r) => [r[5], r[7] !== '', r[8]])).toEqual([['3', true, ''], ['1', true, ''], ['3', false, emergencyId]])
    expect(rows.map((r) => r[6])).toEqual(statement.rows.map((r) => `${euroIt(r.voucherCents)} €`))
    // The sheet's own SUM, computed by Calc, shows the statement's total.
    expect(lines[head + 1 + statement.rows.length]).toBe(`;;;;Totale;;${euroIt(statement.totalCents)} €;;`)
    expect(statement.totalCents).toBe(6000 + statement.rows[2]!.voucherCents)
    expect(statement.rows[2]!.voucherCents).toBeGreaterThan(0)
  })

  it('reads the Italian CSV’s amounts as numbers (decimal comma), accents intact', async () => {
    const csv = await download('csv')
    expect(readFileSync(csv).subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf])) // UTF-8 BOM
    // As Calc in Italian opens it: `;` separated, UTF-8, Italian number recognition; saved as .xlsx.
    const xlsx = soffice(csv, 'xlsx', 'CSV:59,34,76,1,,1040')
    const wb = new ExcelJS.Workbook()
    await wb.xlsx.readFile(xlsx)
    const ws = wb.worksheets[0]!
    expect(ws.getRow(1).getCell(6).value).toBe('Quantità')
    const amounts = statement.rows.map((_, i) => ws.getRow(i + 2).getCell(7).value)
    expect(amounts).toEqual(statement.rows.map((r) => r.voucherCents / 100))
    expect(ws.getRow(statement.rows.length + 2).getCell(7).value).toBe(statement.totalCents / 100)
  })
})
