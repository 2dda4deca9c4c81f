/**
 * The app factory: composes the routes over the dependencies it is given (db, clock, notifier).
 * Serving is main.ts's job; tests call `createApp(deps).request(…)` and never open a port.
 * The ONE place where thrown errors become HTTP answers is `onError` below.
 */
import { existsSync } from 'node:fs'
import { Hono } from 'hono'
import { HTTPException } from 'hono/http-exception'
import { isDatabaseFailure, sqlState } from './db/db.ts'
import type { AppDeps } from './deps.ts'
import { defaultRateLimits } from './env.ts'
import { AppError, describeFailure, errorResponse } from './errors.ts'
import { authRoutes } from './routes/auth/auth.routes.ts'
import { healthRoutes } from './routes/health/health.routes.ts'
import { limitBody, type AppEnv } from './routes/http.ts'
import { officeRoutes } from './routes/office/office.routes.ts'
import { providerRoutes } from './routes/provider/provider.routes.ts'
import { pushRoutes } from './routes/push/push.routes.ts'
import { calendarRoutes } from './routes/calendar/calendar.routes.ts'
import { publicRoutes } from './routes/public/public.routes.ts'
import { familyCallsRoutes } from './routes/family/family-calls.routes.ts'
import { familyDataRoutes } from './routes/family/family-data.routes.ts'
import { createRateLimiter, limitByAddress } from './routes/rate-limit.ts'
import { noStore, secureHeaders } from './routes/secure-headers.ts'
import { routeOf, securityLog } from './services/audit/security-log.ts'
import { syncRoutes } from './routes/sync/sync.routes.ts'
import { webRoutes } from './routes/web/web.routes.ts'
import { TOKENS_REVOKED, TokenCache } from './services/auth/token-cache.ts'

/**
 * The content security policy the built PWA runs under (checked by the e2e suite, which fails on any
 * CSP violation): Vite emits only external module scripts and stylesheets, Vue sets dynamic styles
 * through the CSSOM (not style attributes), so no 'unsafe-inline' and no 'unsafe-eval' anywhere.
 * Icons may be data: URLs. No upgrade-insecure-requests: the demo is served over plain HTTP on a LAN.
 */
export const CONTENT_SECURITY_POLICY = {
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'"],
  styleSrc: ["'self'"],
  imgSrc: ["'self'", 'data:'],
  fontSrc: ["'self'"],
  connectSrc: ["'self'"],
  workerSrc: ["'self'"],
  manifestSrc: ["'self'"],
  objectSrc: ["'none'"],
  baseUri: ["'self'"],
  formAction: ["'self'"],
  frameAncestors: ["'none'"],
}

class NonErrorThrown extends Error {
  override name = 'NonErrorThrown'
}

export function createApp(appDeps: AppDeps): Hono<AppEnv> {
  const log = appDeps.log ?? ((line: string) => console.error(line))
  // One token cache per app (token-cache.ts), emptied when any process revokes codes.
  const tokens = appDeps.tokens ?? new TokenCache()
  const deps: AppDeps = { ...appDeps, tokens }
  deps.notifier.subscribe((spaces) => {
    if (spaces.includes(TOKENS_REVOKED)) tokens.clear()
  })
  const app = new Hono<AppEnv>()

  // onError only sees Error instances; anything else thrown would reach the Node adapter, which
  // prints it whole. Wrapped here, it is answered and logged like any other bug (without its value).
  app.use('*', async (_c, next) => {
    try {
      await next()
    } catch (e) {
      throw e instanceof Error ? e : new NonErrorThrown(typeof e)
    }
  })
  app.use('*', secureHeaders({
    contentSecurityPolicy: CONTENT_SECURITY_POLICY,
    xFrameOptions: 'DENY',
    permissionsPolicy: { camera: [], microphone: [], geolocation: [], payment: [], usb: [] },
  }))
  const limiter = createRateLimiter(deps.rateLimits ?? defaultRateLimits())
  const security = securityLog(log, () => deps.clock.now())
  let proxyWarned = false
  app.use('/api/*', async (c, next) => {
    c.set('limiter', limiter)
    c.set('security', security)
    // Behind a proxy without TRUST_PROXY, every client shares the proxy's address bucket: said once.
    if (!proxyWarned && limiter.limits.enabled && !limiter.limits.trustProxy && c.req.header('x-forwarded-for') !== undefined) {
      proxyWarned = true
      log('warning: requests carry X-Forwarded-For but TRUST_PROXY is off: every client behind that proxy shares its rate-limit buckets (docs/security.md)')
    }
    await next()
  })
  // API answers carry personal data: no browser, proxy or service-worker cache may keep them.
  app.use('/api/*', noStore())
  app.use('/api/*', limitByAddress(limiter))
  app.use('/api/*', limitBody())
  app.route('/api', healthRoutes(deps))
  app.route('/api', authRoutes(deps))
  app.route('/api/sync', syncRoutes(deps))
  app.route('/api/office', officeRoutes(deps))
  app.route('/api/provider', providerRoutes(deps))
  app.route('/api/push', pushRoutes(deps))
  app.route('/api/family', familyCallsRoutes(deps))
  app.route('/api/family', familyDataRoutes(deps))
  app.route('/api/calendar', calendarRoutes(deps))
  app.route('/api/public', publicRoutes(deps))
  app.all('/api/*', () => {
    throw new AppError('not-found')
  })
  if (deps.staticDir && existsSync(deps.staticDir)) app.route('/', webRoutes(deps.staticDir))

  app.notFound((c) => errorResponse(c, 'not-found'))
  app.onError((err, c) => {
    if (err instanceof AppError) {
      const where = { method: c.req.method, path: routeOf(c.req.path) }
      const reason = (err.details as { reason?: unknown } | undefined)?.reason
      if (err.code === 'unauthorized') security({ event: 'auth-failed', reason: typeof reason === 'string' ? reason : 'unknown', ...where })
      if (err.code === 'forbidden' || err.code === 'client-forbidden') {
        security({ event: 'forbidden', code: err.code, role: c.get('auth')?.actor.role ?? null, ...where })
      }
      return errorResponse(c, err.code, err.details, err.words)
    }
    if (err instanceof HTTPException) {
      const status = err.status
      return errorResponse(c, status === 413 ? 'payload-too-large' : status === 401 ? 'unauthorized' : status < 500 ? 'validation' : 'internal')
    }
    // Class 22 (data exception): a value the database cannot hold came in with the request.
    if (sqlState(err)?.startsWith('22')) return errorResponse(c, 'validation', { reason: 'bad-data' })
    // Logs say what kind of failure and where, never its message: it may quote request data.
    if (isDatabaseFailure(err)) {
      log(`database failure on ${c.req.method} ${c.req.path}: ${describeFailure(err)}`)
      return errorResponse(c, 'unavailable')
    }
    log(`internal error on ${c.req.method} ${c.req.path}: ${describeFailure(err)}`)
    return errorResponse(c, 'internal')
  })
  return app
}
