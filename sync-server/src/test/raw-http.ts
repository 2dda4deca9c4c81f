/**
 * HTTP written by hand on a TCP socket, for what `fetch` will not send: lying Content-Lengths,
 * chunked bodies, half-closed connections (the hostile-input tests).
 */
import { connect } from 'node:net'

/**
 * Writes `head` and `body` on a fresh connection to 127.0.0.1:`port` and returns everything answered
 * until the server closes it (send `Connection: close`). `halfClose`: then also close our side, as a
 * client that is done.
 */
export const rawExchange = (port: number, head: string, body: Buffer | string, opts: { halfClose?: boolean } = {}) =>
  new Promise<string>((resolve, reject) => {
    const socket = connect(port, '127.0.0.1')
    let out = ''
    socket.on('data', (d) => (out += d.toString('latin1')))
    socket.on('error', () => resolve(out)) // the server may hang up mid-upload: the answer is already in
    socket.on('close', () => resolve(out))
    socket.on('connect', () => {
      socket.write(head)
      socket.write(body, () => void (opts.halfClose && socket.end()))
    })
    setTimeout(() => reject(new Error(`no answer: ${out.slice(0, 100)}`)), 15_000)
  })

/** The status code of a raw HTTP/1.1 answer. */
export const statusOf = (answer: string): number => Number(/^HTTP\/1\.1 (\d{3})/.exec(answer)?.[1])
