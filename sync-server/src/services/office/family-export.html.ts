/**
 * The family's export as a page a person can read (issue 10: "a readable PDF or HTML"): the same data
 * as the JSON export, by section, with headings and tables, every value escaped. Self-contained (no
 * script, no outside resource), so it opens offline and prints as it is.
 */
import type { FamilyExport } from '../../../../shared/office/families.schema.ts'

/** Every list of the export, with its heading: a section added to FamilyExport without words here is a type error. */
type SectionKey = Exclude<keyof FamilyExport, 'exportedAt' | 'family'>
interface Words {
  title: string
  intro: string
  family: string
  none: string
  machine: string
  sections: Record<SectionKey, string>
}

const WORDS: Record<'it' | 'en', Words> = {
  it: {
    title: 'I miei dati', intro: 'Tutto ciò che Conciliapp conserva sulla tua famiglia, esportato il', family: 'Famiglia',
    none: 'Nessun dato.', machine: 'Lo stesso contenuto è disponibile in formato JSON, leggibile da un altro programma.',
    sections: {
      children: 'Figli', childChanges: 'Storico delle modifiche ai figli', birthDateRequests: 'Richieste di data di nascita',
      vouchers: 'Voucher', ledger: 'Movimenti dei voucher', bookings: 'Prenotazioni', messages: 'Messaggi',
      emergencyRequests: 'Richieste di babysitter urgente', applications: 'Domande ai bandi', devices: 'Dispositivi',
      pushSubscriptions: 'Notifiche attivate', calendarFeeds: 'Calendario condiviso', erasureRequests: 'Richieste di cancellazione',
      waitlistEntries: 'Liste d’attesa', planDates: 'Date dei piani ricorrenti',
    },
  },
  en: {
    title: 'My data', intro: 'Everything Conciliapp holds about your family, exported on', family: 'Family',
    none: 'No data.', machine: 'The same content is available as JSON, readable by another program.',
    sections: {
      children: 'Children', childChanges: 'History of changes to children', birthDateRequests: 'Birth date requests',
      vouchers: 'Vouchers', ledger: 'Voucher movements', bookings: 'Bookings', messages: 'Messages',
      emergencyRequests: 'Urgent babysitter requests', applications: 'Applications to calls', devices: 'Devices',
      pushSubscriptions: 'Notifications turned on', calendarFeeds: 'Shared calendar', erasureRequests: 'Deletion requests',
      waitlistEntries: 'Waiting lists', planDates: 'Dates of recurring plans',
    },
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

export function exportHtml(data: FamilyExport, lang: 'it' | 'en'): string {
  const w = WORDS[lang]
  const sections: [string, readonly Record<string, unknown>[]][] = [
    [w.family, [data.family]],
    ...(Object.entries(w.sections) as [SectionKey, string][]).map(([key, title]): [string, readonly Record<string, unknown>[]] => [title, data[key]]),
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
