import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { brotliCompressSync, brotliDecompressSync, gunzipSync, gzipSync } from 'node:zlib'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestServer, type TestServer } from '../../test/test-server.ts'

let t: TestServer
let dist: string
const BIG = `export const words = ${JSON.stringify(Array.from({ length: 2000 }, (_, i) => `parola-${i % 50}`))}\n`
beforeAll(async () => {
  dist = mkdtempSync(join(tmpdir(), 'dist-'))
  mkdirSync(join(dist, 'assets'))
  writeFileSync(join(dist, 'index.html'), '<!doctype html><title>Conciliapp</title>')
  writeFileSync(join(dist, 'sw.js'), 'self.addEventListener("fetch", () => {})')
  writeFileSync(join(dist, 'assets', 'index-abc123.js'), 'console.log(1)')
  // What the build leaves for a large file: Brotli and gzip copies beside it (vite.config.ts).
  writeFileSync(join(dist, 'assets', 'vendor-def456.js'), BIG)
  writeFileSync(join(dist, 'assets', 'vendor-def456.js.br'), brotliCompressSync(BIG))
  writeFileSync(join(dist, 'assets', 'vendor-def456.js.gz'), gzipSync(BIG))
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

  it('sends the compressed copy a browser accepts, the same file in the end, and the file itself to others', async () => {
    const br = await t.app.request('/assets/vendor-def456.js', { headers: { 'accept-encoding': 'gzip, deflate, br' } })
    expect(br.headers.get('content-encoding')).toBe('br')
    expect(br.headers.get('vary')).toContain('Accept-Encoding')
    expect(br.headers.get('content-type')).toMatch(/javascript/)
    expect(br.headers.get('cache-control')).toContain('immutable')
    const brBytes = Buffer.from(await br.arrayBuffer())
    expect(brBytes.length).toBeLessThan(BIG.length / 5)
    expect(brotliDecompressSync(brBytes).toString()).toBe(BIG)
    const gz = await t.app.request('/assets/vendor-def456.js', { headers: { 'accept-encoding': 'gzip' } })
    expect(gz.headers.get('content-encoding')).toBe('gzip')
    expect(gunzipSync(Buffer.from(await gz.arrayBuffer())).toString()).toBe(BIG)
    const plain = await t.app.request('/assets/vendor-def456.js')
    expect(plain.headers.get('content-encoding')).toBeNull()
    expect(await plain.text()).toBe(BIG)
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
