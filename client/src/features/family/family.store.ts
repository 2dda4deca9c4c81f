/** The family's home: each child with the voucher as the derived view sees it (pending bookings held). */
import { defineStore } from 'pinia'
import { computed } from 'vue'
import { holdsResources } from '../../../../shared/booking/booking.rules.ts'
import { ageInYears } from '../../../../shared/time.ts'
import { useViewStore } from '../../view/view.store.ts'

export const useFamilyStore = defineStore('family', () => {
  const view = useViewStore()

  const cards = computed(() =>
    view.children.map((child) => ({
      child,
      ageYears: ageInYears(child.birthDate, new Date().toISOString()),
      voucher: view.voucherOfChild(child.id),
      activeBookings: view.bookings.filter((b) => b.childId === child.id && holdsResources(b.status)).length,
    })),
  )

  const family = computed(() => view.families[0] ?? null)

  return { cards, family }
})
