import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { FIELD_MATRIX_END, FIELD_MATRIX_START, fieldMatrix } from './field-matrix.ts'

describe('docs/security.md', () => {
  it('shows the fields each role receives exactly as the registry says (regenerate: npx tsx scripts/field-matrix.ts)', () => {
    const doc = readFileSync(new URL('../../docs/security.md', import.meta.url), 'utf8')
    const start = doc.indexOf(FIELD_MATRIX_START)
    const end = doc.indexOf(FIELD_MATRIX_END)
    expect(start, 'the generated table is in docs/security.md').toBeGreaterThan(0)
    expect(doc.slice(start, end + FIELD_MATRIX_END.length)).toBe(fieldMatrix())
  })
})
