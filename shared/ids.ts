import { z } from 'zod'

/** Ids are client-generated (UUIDv7) or deterministic demo slugs; anything else is refused at the door. */
export const Id = z.string().min(1).max(64).regex(/^[A-Za-z0-9_-]+$/, 'id: letters, digits, - and _ only')
export const IsoDateTime = z.iso.datetime({ offset: true })
export const IsoDate = z.iso.date()
export const Cents = z.number().int().nonnegative().max(100_000_000)
