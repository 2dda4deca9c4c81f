/** "I miei dati" (issue 10): the family's devices, its erasure request and its export, online only. */
import { defineStore } from 'pinia'
import { ref, shallowRef } from 'vue'
import type { Device, ErasureRequestAnswer } from '../../../../shared/office/family-requests.schema.ts'
import { useOnlineCommand } from '../../sync/online-command.ts'
import { useAuthStore } from '../auth/auth.store.ts'
import { askErasure, downloadExport, erasureRequest, listDevices, revokeDevice } from './my-data.api.ts'

const fetchFn = (input: string, init?: RequestInit) => fetch(input, init)

export const useMyDataStore = defineStore('myData', () => {
  const auth = useAuthStore()
  const command = useOnlineCommand(auth)
  const devices = shallowRef<Device[] | null>(null)
  const erasure = shallowRef<ErasureRequestAnswer['request']>(null)
  const loaded = ref(false)
  const done = ref('')

  async function load() {
    done.value = ''
    const answer = await command.run(async (token) => Promise.all([listDevices(fetchFn, token), erasureRequest(fetchFn, token)]))
    if (!answer) return
    devices.value = answer[0].devices
    erasure.value = answer[1].request
    loaded.value = true
  }

  /** Revokes a device; revoking this one signs it out (the sync engine then hears 401 revoked and wipes). */
  async function revoke(device: Device): Promise<boolean> {
    const ok = await command.run(async (token) => {
      await revokeDevice(fetchFn, token, device.id)
      return true
    })
    if (!ok) return false
    devices.value = (devices.value ?? []).filter((d) => d.id !== device.id)
    done.value = 'revoked'
    return true
  }

  async function askForErasure() {
    const answer = await command.run((token) => askErasure(fetchFn, token))
    if (answer) erasure.value = answer.request
  }

  async function download(format: 'json' | 'html', lang: 'it' | 'en') {
    done.value = ''
    const ok = await command.run(async (token) => {
      await downloadExport(fetchFn, token, format, lang)
      return true
    })
    if (ok) done.value = 'exported'
  }

  return { devices, erasure, loaded, done, busy: command.busy, error: command.error, errorDetails: command.errorDetails, load, revoke, askForErasure, download }
})
