/**
 * A configuration conflict (a 409's `conflicts`, shared/office/program.rules.ts) in words: one wording
 * for the program's screen and the providers' screen, which each had their own (the providers' showed
 * €0 for a budget conflict, reading only the price ceiling). Services are named from the draft being
 * edited, then from the program's configuration, else by their id.
 */
import { useI18n } from 'vue-i18n'
import type { ConfigConflict } from '../../../../shared/office/program.schema.ts'
import { formatMoney, type Locale } from '../../i18n/format.ts'
import { useProgramStore } from './program.store.ts'

export function useConflictText(): (c: ConfigConflict) => string {
  const { t, te, locale } = useI18n()
  const store = useProgramStore()
  const serviceName = (id?: string) =>
    (id && (store.draft?.services.find((s) => s.id === id) ?? store.config?.services.find((s) => s.id === id))?.name) || id || ''
  // A table using a territory or service being deleted ('in-use'), named in words when known ("1 fornitore", "40 sessioni").
  const tableName = (table: string, count: number) => (te(`officeProgram.tables.${table}`) ? t(`officeProgram.tables.${table}`, count) : table)
  return (c) => c.reason === 'in-use' ? inUse(c) : t(`officeProgram.conflicts.${c.reason}`, {
    count: c.count ?? 0, service: serviceName(c.serviceId),
    amount: formatMoney(c.assignedCents ?? c.maxUnitPriceCents ?? 0, locale.value as Locale),
  }, c.count ?? 0) // '1 prenotazione cadrebbe' / '40 prenotazioni cadrebbero': counted conflicts have two forms
  // Without a table: a row began using it between the count and the delete (program.service.ts deleteUnused).
  function inUse(c: ConfigConflict): string {
    if (!c.table) return t('officeProgram.conflicts.in-use-now')
    return t('officeProgram.conflicts.in-use', { count: c.count ?? 0, table: tableName(c.table, c.count ?? 0) })
  }
}
