import { z } from 'zod'

/**
 * The body of every 4xx/5xx (contract): `{ error: { code, message, messageEn, details? } }`, built
 * by the server's one error table (sync-server/src/errors.ts). `code` is read as any string: an older
 * phone must still show a code added after it was built (its words fall back to the generic ones).
 */
export const ErrorAnswer = z.object({
  error: z.object({ code: z.string(), message: z.string(), messageEn: z.string().optional(), details: z.unknown().optional() }),
})
export type ErrorAnswer = z.infer<typeof ErrorAnswer>
