/**
 * docs/contract.md lists everything outside clients may rely on (architecture.md's contract and this
 * repository's extensions). This fails when the server offers something the page does not name: a
 * route in the app's own routing table, an entity of the registry, a mutation, an error code or an
 * environment variable. (It cannot check the words; it keeps the list whole.)
 */
import { readFileSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ENTITY_NAMES } from '../../shared/entities/registry.ts'
import { HTTP_ERROR_CODES } from '../../shared/errors.ts'
import { MUTATION_NAMES } from '../../shared/mutators/mutators.ts'
import { ENV_VARS } from './env.ts'
import { createTestServer, type TestServer } from './test/test-server.ts'

const doc = readFileSync(new URL('../../docs/contract.md', import.meta.url), 'utf8')
const named = (word: string) => doc.includes(`\`${word}\``)
const unnamed = (words: readonly string[]) => words.filter((w) => !named(w))

let t: TestServer
beforeAll(async () => { t = await createTestServer({ families: 1 }) })
afterAll(() => t.close())

describe('docs/contract.md names everything the server offers', () => {
  it('every HTTP route of the routing table, as `METHOD path`', () => {
    const routes = [...new Set(t.app.routes.filter((r) => r.method !== 'ALL').map((r) => `${r.method} ${r.path}`))]
    expect(routes.length).toBeGreaterThan(50)
    expect(unnamed(routes)).toEqual([])
  })

  it('every entity, mutation, error code and environment variable', () => {
    expect(unnamed(ENTITY_NAMES)).toEqual([])
    expect(unnamed(MUTATION_NAMES)).toEqual([])
    expect(unnamed(HTTP_ERROR_CODES)).toEqual([])
    expect(unnamed(ENV_VARS)).toEqual([])
  })
})
