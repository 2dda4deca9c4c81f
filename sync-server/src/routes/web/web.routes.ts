/**
 * The built PWA (dist/): static files, and index.html for any other GET navigation outside /api
 * (client-side routes). index.html and the service worker are `no-cache` so a new release is seen
 * on the next visit; Vite's hashed /assets/ are cached for a year. Where the build left a Brotli or
 * gzip copy beside a file (vite.config.ts), a browser that accepts it gets the copy.
 */
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { serveStatic } from '@hono/node-server/serve-static'
import { Hono } from 'hono'

const IMMUTABLE = 'public, max-age=31536000, immutable'

export function webRoutes(distDir: string): Hono {
  const app = new Hono()
  app.use('*', async (c, next) => {
    await next()
    if (c.req.path.startsWith('/api/') || !c.res.ok) return
    c.res.headers.set('Cache-Control', c.req.path.startsWith('/assets/') ? IMMUTABLE : 'no-cache')
  })
  app.get('*', serveStatic({ root: distDir, precompressed: true }))
  app.get('*', async (c, next) => {
    const navigation = (c.req.header('accept') ?? '').includes('text/html')
    if (c.req.path.startsWith('/api/') || !navigation) return next()
    try {
      return c.html(await readFile(join(distDir, 'index.html'), 'utf8'))
    } catch {
      return next()
    }
  })
  return app
}
