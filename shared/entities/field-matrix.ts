/**
 * The role × entity × field table of docs/security.md, generated from the registry (a test keeps the
 * document equal to it): which fields of each entity each role receives in a pull. Which ROWS a role
 * receives is the spaces' business (docs/sync.md) and the authorization matrix's test.
 */
import type { Role } from '../actor.ts'
import { def, ENTITY_NAMES, fieldsOf, receives } from './registry.ts'

const ROLES: readonly Role[] = ['parent', 'provider', 'officer', 'operator']

export const FIELD_MATRIX_START = '<!-- field-matrix:start (generated from shared/entities/registry.ts; a test checks it) -->'
export const FIELD_MATRIX_END = '<!-- field-matrix:end -->'

export function fieldMatrix(): string {
  const cell = (e: (typeof ENTITY_NAMES)[number], role: Role) => {
    if (!receives(e, role)) return 'not received'
    const omit = def(e).omit?.[role] ?? []
    return omit.length ? `all but ${omit.map((f) => `\`${f}\``).join(', ')}` : 'all'
  }
  const rows = ENTITY_NAMES.map((e) => `| \`${e}\` | ${fieldsOf(e).map((f) => `\`${f}\``).join(', ')} | ${ROLES.map((r) => cell(e, r)).join(' | ')} |`)
  return [
    FIELD_MATRIX_START,
    `| entity | fields | ${ROLES.join(' | ')} |`,
    `| --- | --- | ${ROLES.map(() => '---').join(' | ')} |`,
    ...rows,
    FIELD_MATRIX_END,
  ].join('\n')
}
