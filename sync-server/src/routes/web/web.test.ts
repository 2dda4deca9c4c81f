import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestServer, type TestServer } from '../../test/test-server.ts'

let t: TestServer
let dist: string
beforeAll(async () => {
  dist = mkdtempSync(join(tmpdir(), 'dist-'))
  mkdirSync(join(dist, 'assets'))
  writeFileSync(join(dist, 'index.html'), '<!doctype html><title>Conciliapp</title>')
  writeFileSync(join(dist, 'sw.js'), 'self.addEventListener("fetch", () => {})')
  writeFileSync(join(dist, 'assets', 'index-abc123.js'), 'console.log(1)')
  t = await createTestServer({ seed: false, staticDir: dist })
})
afterAll(async () => {
  await t.close()
  rmSync(dist, { recursive: true })
})

const html = { headers: { accept: 'text/html,application/xhtml+xml' } }

describe('serving the built PWA', () => {
  it('serves index.html and the service worker with no-cache, hashed assets for a year', async () => {
    const index = await t.app.request('/', html)
    expect(index.status).toBe(200)
    expect(await index.text()).toContain('Conciliapp')
    expect(index.headers.get('cache-control')).toBe('no-cache')
    const sw = await t.app.request('/sw.js')
    expect(sw.status).toBe(200)
    expect(sw.headers.get('cache-control')).toBe('no-cache')
    const asset = await t.app.request('/assets/index-abc123.js')
    expect(asset.headers.get('cache-control')).toContain('immutable')
  })

  it('falls back to index.html for client-side routes, never for /api or missing files', async () => {
    const route = await t.app.request('/plan/child/chd-0001-1', html)
    expect(route.status).toBe(200)
    expect(await route.text()).toContain('Conciliapp')
    expect(route.headers.get('cache-control')).toBe('no-cache')
    const api = await t.app.request('/api/unknown', html)
    expect(api.status).toBe(404)
    expect(((await api.json()) as { error: { code: string } }).error.code).toBe('not-found')
    expect((await t.app.request('/assets/missing.js')).status).toBe(404)
  })
})
