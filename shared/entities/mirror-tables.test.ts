import { describe, expect, it } from 'vitest'
import { ENTITIES, ENTITY_NAMES } from './registry.ts'
import { MIRROR_ENTITIES, MIRROR_NAMES, MIRROR_TABLES } from './mirror-tables.ts'

describe('the phone’s mirror tables without zod (mirror-tables.ts)', () => {
  it('list every registry entity, in the registry’s order', () => {
    expect(MIRROR_ENTITIES).toEqual(ENTITY_NAMES)
  })

  it.each(ENTITY_NAMES)('%s: same Dexie table and indexes as its registry entry', (e) => {
    expect(MIRROR_TABLES[e]).toEqual({ mirror: ENTITIES[e].mirror, indexes: [...ENTITIES[e].indexes] })
  })

  it('names each table once', () => {
    expect(new Set(MIRROR_NAMES).size).toBe(ENTITY_NAMES.length)
  })

  it('imports no zod (so the first screen does not load it)', async () => {
    const { readFile } = await import('node:fs/promises')
    const source = await readFile(new URL('./mirror-tables.ts', import.meta.url), 'utf8')
    expect(source).not.toMatch(/^import (?!type)[^\n]*from '[^']*(zod|registry\.ts)'/m)
  })
})
