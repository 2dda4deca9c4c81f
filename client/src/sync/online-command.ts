/**
 * An online command from a store (the office's, a family's application): refused at once when the
 * phone knows it is offline, run with the signed-in token, its failure kept as a code the screen
 * words (describeError) with its details. Nothing goes through the outbox: docs/office-commands.md.
 */
import { ref, shallowRef } from 'vue'
import type { useAuthStore } from '../features/auth/auth.store.ts'
import { SyncHttpError } from './http.ts'

export function useOnlineCommand(auth: ReturnType<typeof useAuthStore>) {
  const busy = ref(false)
  /** 'offline' | an error code (describeError words it), with its details. */
  const error = ref<string | null>(null)
  const errorDetails = shallowRef<unknown>(null)

  async function run<T>(work: (token: string) => Promise<T>): Promise<T | null> {
    if (typeof navigator !== 'undefined' && !navigator.onLine) {
      error.value = 'offline'
      return null
    }
    await auth.ready()
    const token = auth.auth?.token
    if (!token) return null
    busy.value = true
    error.value = null
    errorDetails.value = null
    try {
      return await work(token)
    } catch (e) {
      error.value = e instanceof SyncHttpError ? (e.kind === 'network' ? 'offline' : e.code) : 'internal'
      errorDetails.value = e instanceof SyncHttpError ? e.details : null
      return null
    } finally {
      busy.value = false
    }
  }

  return { busy, error, errorDetails, run }
}
