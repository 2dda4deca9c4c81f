/**
 * Waiting-list promotions the parent has not seen yet: the plan tab's badge and the banner read this
 * small store on every screen (the plan's waiting-list cards, with the recurrence rules, load with the
 * plan's waiting-list section: waitlist.store.ts).
 */
import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import { database, withDb } from '../../db/lazy.ts'
import { getMeta, setMeta } from '../../db/meta.ts'
import { readMetaRaw } from '../../db/raw.ts'
import { useViewStore } from '../../view/view.store.ts'
import { useAuthStore } from '../auth/auth.store.ts'

export const usePromotionsStore = defineStore('promotions', () => {
  const view = useViewStore()
  const auth = useAuthStore()
  const seen = ref<ReadonlySet<string>>(new Set())
  // Read without Dexie on a cold start (db/raw.ts); Dexie if that cannot answer.
  void readMetaRaw(['seenPromotions'])
    .then((m) => m ? m.seenPromotions : database().then((db) => getMeta(db, 'seenPromotions')))
    .then((ids) => (seen.value = new Set([...seen.value, ...(ids ?? [])])))
  const mine = computed(() => view.waitlistEntries.filter((w) => w.familyId === auth.actor?.familyId))
  const unseen = computed(() => mine.value.filter((w) => w.status === 'promoted' && !seen.value.has(w.id)).length)
  async function markSeen(entryId: string) {
    seen.value = new Set([...seen.value, entryId])
    await withDb((db) => setMeta(db, 'seenPromotions', [...seen.value]))
  }
  return { seen, mine, unseen, markSeen }
})
