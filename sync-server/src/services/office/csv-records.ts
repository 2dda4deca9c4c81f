/**
 * The office's CSV imports (applications, employers' employees) read a file the same way: comma or
 * semicolon separated (the header line decides: an Italian spreadsheet writes `;`), UTF-8 with or
 * without BOM, empty lines skipped, each record with the line it ends on (for the row's report).
 * A file csv-parse cannot read is a 400 `validation` naming the line; an empty one likewise.
 */
import { parse } from 'csv-parse/sync'
import { AppError } from '../../errors.ts'

export interface CsvRecord {
  record: string[]
  info: { lines: number }
}

/** The header record and the records after it. */
export function readCsvRecords(text: string): { head: CsvRecord; body: CsvRecord[] } {
  const firstLine = text.replace(/^\uFEFF/, '').split(/\r?\n/, 1)[0] ?? ''
  const delimiter = (firstLine.match(/;/g)?.length ?? 0) > (firstLine.match(/,/g)?.length ?? 0) ? ';' : ','
  let records: CsvRecord[]
  try {
    // With `info`, each record comes as { record, info } (csv-parse's types do not follow the option).
    records = parse(text, { delimiter, bom: true, info: true, relax_column_count: true, skip_empty_lines: true }) as unknown as CsvRecord[]
  } catch (e) {
    const line = (e as { lines?: unknown }).lines
    throw new AppError('validation', { reason: 'bad-csv', ...(typeof line === 'number' ? { line } : {}) })
  }
  const [head, ...body] = records
  if (!head) throw new AppError('validation', { reason: 'empty-csv' })
  return { head, body }
}
