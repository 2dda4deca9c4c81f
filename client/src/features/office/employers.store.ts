/**
 * Employers funding the vouchers (issue 11). Online only (docs/office-commands.md). The last import's
 * answer stays until the next: its bad rows, or the new families' codes (shown once, for the letters).
 */
import { defineStore } from 'pinia'
import { shallowRef } from 'vue'
import type { CreateEmployerRequest, EmployersAnswer, ImportEmployeesAnswer, UpdateEmployerRequest } from '../../../../shared/office/employers.schema.ts'
import { useOnlineCommand } from '../../sync/online-command.ts'
import { useAuthStore } from '../auth/auth.store.ts'
import * as api from './employers.api.ts'

export const useEmployersStore = defineStore('office-employers', () => {
  const auth = useAuthStore()
  const list = shallowRef<EmployersAnswer | null>(null)
  const lastImport = shallowRef<{ employerId: string; answer: ImportEmployeesAnswer } | null>(null)
  const { busy, error, errorDetails, run } = useOnlineCommand(auth)
  const fetchFn = (input: string, init?: RequestInit) => fetch(input, init)

  async function load() {
    const answer = await run((token) => api.listEmployers(fetchFn, token))
    if (answer) list.value = answer
  }
  async function create(req: CreateEmployerRequest): Promise<boolean> {
    const answer = await run((token) => api.createEmployer(fetchFn, token, req))
    if (answer) await load()
    return !!answer
  }
  /** A new budget (refused 409 below what its vouchers took: the screen says by how much). */
  async function setBudget(employerId: string, req: UpdateEmployerRequest): Promise<boolean> {
    const answer = await run((token) => api.updateEmployer(fetchFn, token, employerId, req))
    if (answer && list.value) list.value = { ...list.value, employers: list.value.employers.map((e) => (e.id === answer.id ? answer : e)) }
    return !!answer
  }
  async function importFile(employerId: string, file: File) {
    lastImport.value = null
    const answer = await run((token) => api.importEmployees(fetchFn, token, employerId, file))
    if (!answer) return
    lastImport.value = { employerId, answer }
    if (answer.imported > 0) await load()
  }
  return { list, lastImport, busy, error, errorDetails, load, create, setBudget, importFile }
})
