/**
 * A booking's message thread ("agree the details with the provider"), for the family and the provider.
 * Messages are rows of the derived view: a message typed offline is already in the thread (the replay
 * of `message.send`), marked as not sent yet; one the server refused stays in the thread with its reason
 * until dismissed, so nothing typed is silently lost. Drafts live here, so leaving the page keeps them.
 */
import { defineStore } from 'pinia'
import { v7 as uuidv7 } from 'uuid'
import { computed, reactive } from 'vue'
import type { Message } from '../../../../shared/booking/message.schema.ts'
import { readMessageSend, stringArg } from '../../../../shared/mutators/arg-readers.ts'
import { DRAFT_PREFIX } from '../../db/drafts.ts'
import { database, withDb } from '../../db/lazy.ts'
import { getMeta, setMeta } from '../../db/meta.ts'
import { readMetaRaw } from '../../db/raw.ts'
import { useViewStore } from '../../view/view.store.ts'
import { useAuthStore } from '../auth/auth.store.ts'
import { useSyncStore } from '../sync/sync.store.ts'

export type MessageState = 'sent' | 'pending' | 'refused'

export interface ThreadMessage {
  key: string
  body: string
  createdAt: string | null
  mine: boolean
  authorRole: Message['authorRole']
  /** The operator who wrote it, where this phone knows the name (the coordinator's: its staff list). */
  authorName: string | null
  state: MessageState
  /** For a refused message: its stored result (to word the reason and to dismiss it). */
  refusal: { resultKey: string; code: string; details: Record<string, unknown> } | null
}

const byTime = (a: ThreadMessage, b: ThreadMessage) => (a.createdAt ?? '\uffff').localeCompare(b.createdAt ?? '\uffff') || a.key.localeCompare(b.key)

function readDrafts(key: string): [string, string][] {
  try {
    const v = JSON.parse(globalThis.localStorage?.getItem(key) ?? '{}') as Record<string, unknown>
    return Object.entries(v).filter((e): e is [string, string] => typeof e[1] === 'string')
  } catch {
    return []
  }
}

export const useMessagesStore = defineStore('messages', () => {
  const view = useViewStore()
  const auth = useAuthStore()
  const sync = useSyncStore()
  // Drafts survive a reload (localStorage, forgotten when the device is wiped: db.ts forgetDrafts).
  const DRAFTS_KEY = `${DRAFT_PREFIX}messages`
  const drafts = reactive(new Map<string, string>(readDrafts(DRAFTS_KEY)))
  const saveDrafts = () => {
    try {
      if (drafts.size) localStorage.setItem(DRAFTS_KEY, JSON.stringify(Object.fromEntries(drafts)))
      else localStorage.removeItem(DRAFTS_KEY)
    } catch {
      // storage full or unavailable: the draft stays in memory
    }
  }
  // An operator writes on the provider's side (message.mutators.ts); the message says which person.
  const myRole = computed(() => (auth.actor?.role === 'provider' || auth.actor?.role === 'operator' ? 'provider' : 'parent'))
  const me = computed(() => (auth.actor?.operatorId ? `operator:${auth.actor.operatorId}` : null))
  /**
   * Mine: my side's, and on the provider's side written by me: an operator's own messages, or for the
   * coordinator every provider message not written by an operator (rows before 0020 have no writer).
   */
  const isMine = (m: Message) => {
    if (m.authorRole !== myRole.value) return false
    if (myRole.value === 'parent') return true
    const by = m.writtenBy ?? null
    return me.value ? by === me.value : !by?.startsWith('operator:')
  }
  const nameOf = (m: Message) => {
    const by = m.writtenBy ?? null
    return by?.startsWith('operator:') && by !== me.value ? (view.operator(by.slice('operator:'.length))?.name ?? null) : null
  }

  const pendingIds = computed(() => new Set(view.pending.filter((p) => p.name === 'message.send').map((p) => stringArg(p.args, 'messageId'))))

  const threads = computed(() => {
    const map = new Map<string, ThreadMessage[]>()
    const add = (bookingId: string, m: ThreadMessage) => map.set(bookingId, [...(map.get(bookingId) ?? []), m])
    for (const m of view.messages) {
      add(m.bookingId, {
        key: m.id, body: m.body, createdAt: m.createdAt, mine: isMine(m), authorRole: m.authorRole, authorName: nameOf(m),
        state: pendingIds.value.has(m.id) ? 'pending' : 'sent', refusal: null,
      })
    }
    for (const r of view.results) {
      if (r.dismissed || r.name !== 'message.send') continue
      const args = readMessageSend(r.args)
      if (!args) continue
      add(args.bookingId, {
        key: r.key, body: args.body, createdAt: null, mine: true, authorRole: myRole.value, authorName: null, state: 'refused',
        refusal: { resultKey: r.key, code: r.code, details: r.details ?? {} },
      })
    }
    for (const list of map.values()) list.sort(byTime)
    return map
  })

  const thread = (bookingId: string): ThreadMessage[] => threads.value.get(bookingId) ?? []
  /** The threads are read just after the first screen's data (view.store): until then, say nothing. */
  const ready = computed(() => view.loaded('messages'))
  const draftOf = (bookingId: string) => drafts.get(bookingId) ?? ''
  const setDraft = (bookingId: string, body: string) => {
    if (body) drafts.set(bookingId, body)
    else drafts.delete(bookingId)
    saveDrafts()
  }

  /** Queues the draft (works offline); false when there is nothing to send. */
  async function send(bookingId: string): Promise<boolean> {
    const body = draftOf(bookingId).trim()
    if (!body) return false
    await sync.mutate('message.send', { messageId: uuidv7(), bookingId, body })
    drafts.delete(bookingId)
    saveDrafts()
    return true
  }

  const dismiss = (resultKey: string) => withDb((db) => db.results.update(resultKey, { dismissed: 1 }))

  /**
   * Unread marks, per device (issue 10): the other side's messages newer than the latest one read
   * here. Kept in `meta`, so a reload keeps them; each phone of the family has its own.
   */
  const seen = reactive(new Map<string, string>())
  // Read without Dexie on a cold start (db/raw.ts); Dexie if that cannot answer.
  void readMetaRaw(['messagesSeen']).then((m) => m ? m.messagesSeen : database().then((db) => getMeta(db, 'messagesSeen'))).then((stored) => {
    for (const [k, v] of Object.entries(stored ?? {})) if (!seen.has(k) || seen.get(k)! < v) seen.set(k, v)
  })
  const unread = (bookingId: string): number => {
    const since = seen.get(bookingId) ?? ''
    return thread(bookingId).filter((m) => !m.mine && m.state === 'sent' && m.createdAt !== null && m.createdAt > since).length
  }
  async function markSeen(bookingId: string) {
    const latest = thread(bookingId).filter((m) => !m.mine && m.createdAt).map((m) => m.createdAt!).sort().at(-1)
    if (!latest || (seen.get(bookingId) ?? '') >= latest) return
    seen.set(bookingId, latest)
    await withDb((db) => setMeta(db, 'messagesSeen', Object.fromEntries(seen)))
  }

  return { thread, ready, draftOf, setDraft, send, dismiss, unread, markSeen }
})
