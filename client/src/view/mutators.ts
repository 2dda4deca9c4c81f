/**
 * What the outbox's replay and the dry runs need from shared/: the mutators (which parse their args
 * with zod) and the memory store (built on the registry's zod schemas). derive.ts loads this module
 * on the first replay, so a phone with nothing queued draws its first screen without zod (issue 10).
 */
export { runMutation } from '../../../shared/mutators/mutators.ts'
export { memoryStore, stateFrom } from '../../../shared/mutators/memory-store.ts'
