/** The office's screen of families' requests (issue 10): list, approve or reject a birth date, erase a family. */
import { defineStore } from 'pinia'
import { ref, shallowRef } from 'vue'
import type { BirthDateRequestRow, ErasureRequestRow } from '../../../../shared/office/family-requests.schema.ts'
import { useOnlineCommand } from '../../sync/online-command.ts'
import { useAuthStore } from '../auth/auth.store.ts'
import { approveBirthDate, birthDateRequests, eraseFamily, erasureRequests, rejectBirthDate } from './family-requests.api.ts'

const fetchFn = (input: string, init?: RequestInit) => fetch(input, init)

export const useFamilyRequestsStore = defineStore('familyRequests', () => {
  const command = useOnlineCommand(useAuthStore())
  const births = shallowRef<BirthDateRequestRow[] | null>(null)
  const erasures = shallowRef<ErasureRequestRow[] | null>(null)
  const done = ref(false)

  async function load() {
    const answer = await command.run((token) => Promise.all([birthDateRequests(fetchFn, token), erasureRequests(fetchFn, token)]))
    if (!answer) return
    births.value = answer[0].requests
    erasures.value = answer[1].requests
  }
  async function act(work: (token: string) => Promise<unknown>) {
    done.value = false
    const ok = await command.run(async (token) => {
      await work(token)
      return true
    })
    if (ok) {
      done.value = true
      await load()
    }
    return ok === true
  }
  const approve = (id: string) => act((token) => approveBirthDate(fetchFn, token, id))
  const reject = (id: string, reason: string) => act((token) => rejectBirthDate(fetchFn, token, id, reason))
  const erase = (familyId: string) => act((token) => eraseFamily(fetchFn, token, familyId))

  return { births, erasures, done, busy: command.busy, error: command.error, errorDetails: command.errorDetails, load, approve, reject, erase }
})
