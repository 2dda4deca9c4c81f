/** A provider's own sessions: the list (derived: an edit typed offline already shows), create and edit. */
import { defineStore } from 'pinia'
import { computed } from 'vue'
import { v7 as uuidv7 } from 'uuid'
import { placesTaken } from '../../../../shared/catalogue/session-edit.rules.ts'
import type { Session } from '../../../../shared/index.ts'
import { useViewStore } from '../../view/view.store.ts'
import { useAuthStore } from '../auth/auth.store.ts'
import { useSyncStore } from '../sync/sync.store.ts'

export interface SessionDraft {
  serviceId: string
  startsAt: string
  endsAt: string
  places: number
  unitPriceCents: number
  unitsMax: number
}

export const useSessionsStore = defineStore('sessions', () => {
  const view = useViewStore()
  const auth = useAuthStore()
  const sync = useSyncStore()

  const own = computed<Session[]>(() => view.sessionsWhere((s) => s.providerId === auth.actor?.providerId))
  /** Upcoming first (soonest first), then the past ones (most recent first). */
  const upcoming = computed(() => own.value.filter((s) => Date.parse(s.endsAt) > Date.now()))
  const past = computed(() => own.value.filter((s) => Date.parse(s.endsAt) <= Date.now()).reverse())
  const notices = computed(() => view.results.filter((r) => !r.dismissed && (r.name === 'session.create' || r.name === 'session.update')))

  async function create(draft: SessionDraft): Promise<string> {
    const sessionId = uuidv7()
    await sync.mutate('session.create', { sessionId, ...draft })
    return sessionId
  }
  /** Only what changed is sent (so an edit of the price never also "moves" the session). */
  function update(session: Session, draft: Omit<SessionDraft, 'serviceId'>) {
    const changed = Object.fromEntries(
      (['startsAt', 'endsAt', 'places', 'unitPriceCents', 'unitsMax'] as const)
        .filter((k) => (k === 'startsAt' || k === 'endsAt' ? Date.parse(draft[k]) !== Date.parse(session[k]) : draft[k] !== session[k]))
        .map((k) => [k, draft[k]]),
    )
    return sync.mutate('session.update', { sessionId: session.id, ...changed })
  }

  return { own, upcoming, past, notices, create, update, taken: placesTaken }
})
