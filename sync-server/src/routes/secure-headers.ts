/**
 * Hono's secureHeaders, set where they cost least. Hono's middleware sets its headers on the route's
 * Response after the route has run, and that alone makes @hono/node-server build a web `Headers` for
 * every answer and copy it back into Node's (a push profile put that at ~5% of the server's CPU).
 * Under @hono/node-server the same list is set on Node's response BEFORE the route runs, and Node
 * merges it into the answer's head. In-process requests (app.request in tests) have no Node response
 * and go through hono's middleware as is.
 *
 * The list is hono's own output, taken once from the middleware itself, so both paths send the same
 * headers with the same values (app.security.test.ts checks them in-process and over a real socket).
 * One difference: a header a route sets itself wins here, where hono's would overwrite it; no route
 * sets any of these.
 */
import type { ServerResponse } from 'node:http'
import { Hono, type MiddlewareHandler } from 'hono'
import { secureHeaders as honoSecureHeaders } from 'hono/secure-headers'

type SecureHeadersOptions = NonNullable<Parameters<typeof honoSecureHeaders>[0]>

export function secureHeaders(options: SecureHeadersOptions): MiddlewareHandler {
  const viaHono = honoSecureHeaders(options)
  let list: [string, string][] | undefined
  const probe = new Hono().use(viaHono).get('/', (c) => c.body(null))
  const computed = Promise.resolve(probe.request('/')).then((res) => (list = [...res.headers]))
  return async (c, next) => {
    const outgoing = (c.env as { outgoing?: unknown } | undefined)?.outgoing
    if (!(outgoing && typeof (outgoing as ServerResponse).setHeader === 'function')) return viaHono(c, next)
    for (const [name, value] of list ?? (await computed)) (outgoing as ServerResponse).setHeader(name, value)
    return next()
  }
}

/**
 * `Cache-Control: no-store` on every answer it covers (the API's: personal data), errors included. Set
 * on Node's response before the route, like the secure headers (a route that sets its own, like the
 * poke stream, wins); in-process, on the route's answer afterwards.
 */
export function noStore(): MiddlewareHandler {
  return async (c, next) => {
    const outgoing = (c.env as { outgoing?: unknown } | undefined)?.outgoing
    if (outgoing && typeof (outgoing as ServerResponse).setHeader === 'function') {
      ;(outgoing as ServerResponse).setHeader('Cache-Control', 'no-store')
      return next()
    }
    await next()
    if (!c.res.headers.has('Cache-Control')) c.res.headers.set('Cache-Control', 'no-store')
  }
}
