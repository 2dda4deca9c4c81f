/**
 * Pokes: "something in these spaces changed, pull now". Writers publish the space ids they bumped
 * after commit; each open /api/sync/poke stream subscribes and filters by the spaces its token sees.
 * In one process an EventEmitter suffices; across processes see pg-notifier.ts (LISTEN/NOTIFY).
 */
import { EventEmitter } from 'node:events'

export type PokeListener = (spaces: readonly string[]) => void

export interface Notifier {
  publish(spaces: readonly string[]): Promise<void>
  /** Returns the unsubscribe function. */
  subscribe(listener: PokeListener): () => void
  close(): Promise<void>
}

export function memoryNotifier(): Notifier {
  const emitter = new EventEmitter()
  emitter.setMaxListeners(0)
  return {
    async publish(spaces) {
      if (spaces.length > 0) emitter.emit('poke', spaces)
    },
    subscribe(listener) {
      emitter.on('poke', listener)
      return () => void emitter.off('poke', listener)
    },
    async close() {
      emitter.removeAllListeners()
    },
  }
}
