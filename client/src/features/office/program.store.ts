/**
 * The program's configuration and its providers (issue 11). Online only, like every office command
 * (docs/office-commands.md). The configuration being edited is a draft kept here, so leaving the
 * screen and coming back loses nothing typed; a refusal (409 with its conflicts) keeps it too.
 */
import { defineStore } from 'pinia'
import { computed, ref, shallowRef } from 'vue'
import type {
  AccreditRequest, AccreditedService, ConfigConflict, CreateProgramRequest, ProgramConfig, ProviderEntry, SuspendAnswer, UpdateProgramRequest,
} from '../../../../shared/office/program.schema.ts'
import { useOnlineCommand } from '../../sync/online-command.ts'
import { useAuthStore } from '../auth/auth.store.ts'
import * as api from './program.api.ts'

/** The form's draft: amounts in euros as typed, the rest as the request has it. */
export interface ProgramDraft extends Omit<UpdateProgramRequest, 'budgetCents' | 'voucherAmountCents'> {
  budgetEuros: number
  voucherEuros: number
}

export const toCents = (euros: number): number => Math.round(euros * 100)

export function draftOf(c: ProgramConfig): ProgramDraft {
  return {
    name: c.name, periodFrom: c.periodFrom ?? '', periodTo: c.periodTo ?? '', budgetEuros: (c.budgetCents ?? 0) / 100, voucherEuros: c.voucherAmountCents / 100,
    voucherCoveragePercent: c.voucherCoveragePercent, cancellationWindowHours: c.cancellationWindowHours ?? 0, emergencyHeadStartMinutes: c.emergencyHeadStartMinutes ?? 0,
    paymentDaysAfterApproval: c.paymentDaysAfterApproval,
    territories: c.territories.map((t) => ({ ...t })), services: c.services.map((s) => ({ ...s })),
  }
}

export function requestOf(d: ProgramDraft): UpdateProgramRequest {
  const { budgetEuros, voucherEuros, ...rest } = d
  return { ...rest, budgetCents: toCents(budgetEuros), voucherAmountCents: toCents(voucherEuros) }
}

/** A 409's conflicts (program.rules.ts), when the refusal carries them. */
export function conflictsOf(details: unknown): ConfigConflict[] {
  const c = (details as { conflicts?: unknown } | null)?.conflicts
  return Array.isArray(c) ? (c as ConfigConflict[]) : []
}

export const useProgramStore = defineStore('office-program', () => {
  const auth = useAuthStore()
  const config = shallowRef<ProgramConfig | null>(null)
  const draft = ref<ProgramDraft | null>(null)
  const providers = shallowRef<ProviderEntry[] | null>(null)
  const saved = ref(false)
  /** Shown once: the code of a provider just accredited, or of a program just created. */
  const issued = shallowRef<{ kind: 'provider' | 'program'; name: string; code: string } | null>(null)
  const lastSuspension = shallowRef<SuspendAnswer | null>(null)
  const { busy, error, errorDetails, run } = useOnlineCommand(auth)
  const fetchFn = (input: string, init?: RequestInit) => fetch(input, init)
  const conflicts = computed(() => (error.value === 'invalid-state' ? conflictsOf(errorDetails.value) : []))

  async function load() {
    const answer = await run((token) => api.fetchProgram(fetchFn, token))
    if (!answer) return
    config.value = answer
    if (!draft.value) draft.value = draftOf(answer)
  }
  function discard() {
    if (config.value) draft.value = draftOf(config.value)
    saved.value = false
  }
  async function save() {
    if (!draft.value) return
    saved.value = false
    const answer = await run((token) => api.saveProgram(fetchFn, token, requestOf(draft.value!)))
    if (!answer) return
    config.value = answer
    draft.value = draftOf(answer)
    saved.value = true
  }
  /**
   * A saved territory or service deleted on the server (refused 409 with every use when something uses
   * it); the draft loses only that item, keeping whatever else was typed.
   */
  async function removeSaved(kind: 'territories' | 'services', id: string): Promise<boolean> {
    saved.value = false
    const answer = await run((token) => api.deleteCatalogue(fetchFn, token, kind, id))
    if (!answer) return false
    config.value = answer
    if (draft.value) {
      if (kind === 'territories') draft.value.territories = draft.value.territories.filter((x) => x.id !== id)
      else draft.value.services = draft.value.services.filter((x) => x.id !== id)
    }
    return true
  }
  async function createProgram(req: CreateProgramRequest): Promise<boolean> {
    const answer = await run((token) => api.createProgram(fetchFn, token, req))
    if (answer) issued.value = { kind: 'program', name: req.name, code: answer.officerCode }
    return !!answer
  }

  /**
   * The configuration (unless here) and the providers, in ONE command: two runs at once on the one
   * command raced on `busy` and `error` (the first to end cleared them for the other). A call while
   * one is under way joins it.
   */
  let loadingProviders: Promise<void> | null = null
  function loadProviders(): Promise<void> {
    loadingProviders ??= (async () => {
      const known = config.value
      const answer = await run((token) => Promise.all([known ?? api.fetchProgram(fetchFn, token), api.fetchProviders(fetchFn, token)]))
      if (!answer) return
      const [p, list] = answer
      config.value = p
      if (!draft.value) draft.value = draftOf(p)
      providers.value = list.providers
    })().finally(() => {
      loadingProviders = null
    })
    return loadingProviders
  }
  const replace = (p: ProviderEntry) => {
    providers.value = providers.value?.map((x) => (x.id === p.id ? p : x)) ?? [p]
  }
  async function accredit(req: AccreditRequest): Promise<boolean> {
    const answer = await run((token) => api.accredit(fetchFn, token, req))
    if (!answer) return false
    issued.value = { kind: 'provider', name: req.name, code: answer.coordinatorCode }
    await loadProviders()
    return true
  }
  async function setServices(id: string, services: AccreditedService[]): Promise<boolean> {
    const answer = await run((token) => api.setServices(fetchFn, token, id, services))
    if (answer) replace(answer)
    return !!answer
  }
  async function suspend(id: string, reason: string): Promise<boolean> {
    const answer = await run((token) => api.suspend(fetchFn, token, id, reason))
    if (!answer) return false
    lastSuspension.value = answer
    replace(answer.provider)
    return true
  }
  async function reinstate(id: string): Promise<boolean> {
    const answer = await run((token) => api.reinstate(fetchFn, token, id))
    if (answer) replace(answer)
    return !!answer
  }

  return {
    config, draft, providers, saved, issued, lastSuspension, busy, error, errorDetails, conflicts, removeSaved,
    load, discard, save, createProgram, loadProviders, accredit, setServices, suspend, reinstate,
  }
})
