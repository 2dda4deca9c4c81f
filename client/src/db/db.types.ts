/** Row shapes of the phone's own tables (the mirror tables hold the shared schemas' values). */
import type { ActivateResponse, RejectionCode } from '../../../shared/index.ts'
import type { FamilyCall } from '../../../shared/office/apply.schema.ts'

/** A mutation typed on this device, waiting until a pull reports `lastMutationIds[clientId] >= id`. */
export interface OutboxEntry {
  id: number
  clientId: string
  name: string
  args: unknown
  createdAt: string
}

/** A refusal from the server, kept with the mutation it refused so the UI can still show what it was. */
export interface StoredResult {
  /** `${clientId}:${mutationId}` */
  key: string
  clientId: string
  mutationId: number
  name: string | null
  args: unknown
  code: RejectionCode
  message: string | null
  details: Record<string, unknown> | null
  receivedAt: string
  /** 0 | 1 (IndexedDB cannot index booleans). */
  dismissed: 0 | 1
}

export type Auth = ActivateResponse

export interface SyncErrorInfo {
  code: string
  message: string
  details?: unknown
  at: string
}

/** The key/value rows of `meta`, typed per key. */
export interface MetaValues {
  auth: Auth
  /** Set when the server answered 401: the device must be activated again; the outbox is kept. */
  authRevoked: boolean
  clientId: string
  /** Per booking, the time of the other side's latest message read on this device (the thread's unread mark). */
  messagesSeen: Record<string, string>
  /** Declined bookings the parent has seen (their card leaves "to look at" once seen). */
  seenDeclines: string[]
  clientGroupId: string
  cookie: string | null
  nextMutationId: number
  /** The server's lastMutationId for this client, as last pulled. */
  lastMutationId: number
  /** Per client: results with id <= n are stored here and need not be resent. */
  resultsAcked: Record<string, number>
  lastSyncedAt: string | null
  lastError: SyncErrorInfo | null
  /** A family's application drafts, by call id, kept until sent (features/apply; cleared on sign-out). */
  applicationDrafts: Record<string, ApplicationDraft>
  /** The family's calls as last fetched, so a draft can be written offline after a reload. */
  familyCalls: FamilyCall[]
  /** Recurring plan items sent from this phone, by plan id: what was asked, so the plan card can say which dates were not booked. */
  plans: Record<string, { sessionId: string; childId: string; quantity: number; recurrence: { weekdays: number[]; until: string } }>
  /** Waiting-list promotions the parent has seen (their card stays until then). */
  seenPromotions: string[]
  /** The family's calendar feed address as last issued to this phone: shown again, and revocable, after a reload. */
  calendarFeedUrl: string
  /** A provider's delivered emergencies the server last said were paid (offline, the payments screen counts them as paid). */
  paidEmergencies: string[]
}

export interface ApplicationDraft {
  shiftWorker: boolean
  householdFragility: boolean
  employer: string
  /** The ISEE as typed, in euros ('' = not given). */
  isee: string
  children: Record<string, { selected: boolean; disability: boolean; dsa: boolean }>
  savedAt: string
}
export type MetaKey = keyof MetaValues

export interface MetaRow<K extends MetaKey = MetaKey> {
  key: K
  value: MetaValues[K]
}
