/** Writes the registry's role × entity × field table into docs/security.md (between its markers). */
import { readFileSync, writeFileSync } from 'node:fs'
import { FIELD_MATRIX_END, FIELD_MATRIX_START, fieldMatrix } from '../shared/entities/field-matrix.ts'

const path = new URL('../docs/security.md', import.meta.url)
const doc = readFileSync(path, 'utf8')
const start = doc.indexOf(FIELD_MATRIX_START)
const end = doc.indexOf(FIELD_MATRIX_END)
if (start < 0 || end < 0) throw new Error('docs/security.md has no field-matrix markers')
writeFileSync(path, doc.slice(0, start) + fieldMatrix() + doc.slice(end + FIELD_MATRIX_END.length))
console.log('docs/security.md: field matrix written')
