/**
 * The family's export as a page a person can read (issue 10: "a readable PDF or HTML"): the same data
 * as the JSON export, by section, with headings and tables, every value escaped. Self-contained (no
 * script, no outside resource), so it opens offline and prints as it is.
 */
import type { FamilyExport } from '../../../../shared/office/families.schema.ts'

/** Every list of the export: a section added to FamilyExport without its headings here is a type error. */
type SectionKey = Exclude<keyof FamilyExport, 'exportedAt' | 'family'>
type Lang = 'it' | 'en'

/** Each section's heading in both languages, side by side (one list of sections, not one per language). */
const SECTIONS: Record<SectionKey, Record<Lang, string>> = {
  children: { it: 'Figli', en: 'Children' },
  childChanges: { it: 'Storico delle modifiche ai figli', en: 'History of changes to children' },
  birthDateRequests: { it: 'Richieste di data di nascita', en: 'Birth date requests' },
  vouchers: { it: 'Voucher', en: 'Vouchers' },
  ledger: { it: 'Movimenti dei voucher', en: 'Voucher movements' },
  bookings: { it: 'Prenotazioni', en: 'Bookings' },
  messages: { it: 'Messaggi', en: 'Messages' },
  emergencyRequests: { it: 'Richieste di babysitter urgente', en: 'Urgent babysitter requests' },
  applications: { it: 'Domande ai bandi', en: 'Applications to calls' },
  devices: { it: 'Dispositivi', en: 'Devices' },
  pushSubscriptions: { it: 'Notifiche attivate', en: 'Notifications turned on' },
  calendarFeeds: { it: 'Calendario condiviso', en: 'Shared calendar' },
  erasureRequests: { it: 'Richieste di cancellazione', en: 'Deletion requests' },
  waitlistEntries: { it: 'Liste d’attesa', en: 'Waiting lists' },
  planDates: { it: 'Date dei piani ricorrenti', en: 'Dates of recurring plans' },
}

const WORDS: Record<Lang, { title: string; intro: string; family: string; none: string; machine: string }> = {
  it: {
    title: 'I miei dati', intro: 'Tutto ciò che Conciliapp conserva sulla tua famiglia, esportato il', family: 'Famiglia',
    none: 'Nessun dato.', machine: 'Lo stesso contenuto è disponibile in formato JSON, leggibile da un altro programma.',
  },
  en: {
    title: 'My data', intro: 'Everything Conciliapp holds about your family, exported on', family: 'Family',
    none: 'No data.', machine: 'The same content is available as JSON, readable by another program.',
  },
}

const escape = (v: unknown): string =>
  String(v ?? '').replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch]!)

const cell = (v: unknown): string => (v === null || v === undefined ? '—' : typeof v === 'object' ? JSON.stringify(v) : String(v))

function table(rows: readonly Record<string, unknown>[], none: string): string {
  if (rows.length === 0) return `<p>${escape(none)}</p>`
  const keys = [...new Set(rows.flatMap((r) => Object.keys(r)))]
  const head = keys.map((k) => `<th scope="col">${escape(k)}</th>`).join('')
  const body = rows.map((r) => `<tr>${keys.map((k) => `<td dir="auto">${escape(cell(r[k]))}</td>`).join('')}</tr>`).join('\n')
  return `<div class="wrap"><table><thead><tr>${head}</tr></thead><tbody>${body}</tbody></table></div>`
}

export function exportHtml(data: FamilyExport, lang: Lang): string {
  const w = WORDS[lang]
  const sections: [string, readonly Record<string, unknown>[]][] = [
    [w.family, [data.family]],
    ...(Object.entries(SECTIONS) as [SectionKey, Record<Lang, string>][]).map(([key, title]): [string, readonly Record<string, unknown>[]] => [title[lang], data[key]]),
  ]
  return `<!doctype html>
<html lang="${lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escape(w.title)}</title>
<style>body{font:100%/1.5 system-ui,sans-serif;margin:1rem;color:#1a1a1a}table{border-collapse:collapse;font-size:.875rem}
th,td{border:1px solid #888;padding:.25rem .5rem;text-align:start;vertical-align:top}.wrap{overflow-x:auto}h2{margin-top:2rem}</style>
</head><body><main>
<h1>${escape(w.title)}</h1>
<p>${escape(w.intro)} <time datetime="${escape(data.exportedAt)}">${escape(data.exportedAt)}</time>. ${escape(w.machine)}</p>
${sections.map(([title, rows]) => `<section><h2>${escape(title)}</h2>\n${table(rows, w.none)}</section>`).join('\n')}
</main></body></html>`
}
