/**
 * Activation codes and device tokens. Codes are issued by the office (families) and by providers;
 * both codes and tokens are stored only as sha256 hashes. A code activates any number of devices
 * until revoked; revoking a code also signs its devices out. Tokens are 32 random bytes, renewed while
 * in use (TOKEN_DAYS after the last use) and individually revocable; the office revokes codes
 * with all their tokens (revoke.service.ts).
 *
 * Timing: a presented token is never compared with a secret in JavaScript. It is hashed and looked
 * up by `token_hash = $1` (a B-tree equality in SQL). What that lookup's timing could leak is how
 * far the *hash* of the guess matches a stored hash; steering a guess's SHA-256 towards a chosen
 * prefix means breaking preimage resistance, so the timing tells an attacker nothing about any real
 * token (the same holds for the app's token cache, a Map keyed by that hash: token-cache.ts).
 * Tokens are 256 random bits: guessing is hopeless anyway; activation codes, which people type
 * and are short, are protected by the per-address limit on failed activations (rate-limit.ts).
 * Were a comparison ever needed in JS, it would be `crypto.timingSafeEqual` on the two hashes.
 */
import { hash, randomBytes } from 'node:crypto'
import type { Actor, Role } from '../../../../shared/mutators/store.ts'
import type { ActivateResponse } from '../../../../shared/sync/protocol.ts'
import type { Queryable } from '../../db/db.ts'
import type { AppDeps } from '../../deps.ts'
import { AppError } from '../../errors.ts'
import { principalOf, type Auth } from './principal.ts'
import { space } from '../sync/spaces.ts'
import { TOKENS_REVOKED, type TokenCache } from './token-cache.ts'

/**
 * A token lives this long after its LAST use (it is renewed while in use, at most once a day): a phone
 * in use stays signed in, offline for weeks included; a lost one's token dies on its own in weeks, not
 * a year (revocation still kills it at once).
 */
export const TOKEN_DAYS = 45
const DAY_MS = 86_400_000
/**
 * Devices one code keeps signed in: both parents' phones, a tablet, replacements. Activating one more
 * signs the oldest out, so a leaked code cannot mint tokens without limit (docs/security.md).
 */
export const MAX_TOKENS_PER_CODE = 10

const BAD_CODE = {
  it: 'Codice di attivazione non valido o non più attivo: controlla di averlo scritto bene.',
  en: 'This activation code is not valid or no longer active: check you typed it correctly.',
}

export const sha256 = (s: string): string => hash('sha256', s, 'hex')
/** Codes are matched case-insensitively and without surrounding blanks. */
export const normalizeCode = (code: string): string => code.trim().toUpperCase()
export const hashCode = (code: string): string => sha256(normalizeCode(code))

interface CodeRow {
  id: string
  role: Role
  programId: string
  familyId: string | null
  providerId: string | null
  operatorId: string | null
  displayName: string
}

const CODE_COLUMNS = `c.id, c.role, c.program_id AS "programId", c.family_id AS "familyId",
  c.provider_id AS "providerId", c.operator_id AS "operatorId", c.display_name AS "displayName"`

const actorOf = (c: CodeRow): Actor => ({
  role: c.role, programId: c.programId, familyId: c.familyId, providerId: c.providerId, personId: c.id,
  ...(c.operatorId ? { operatorId: c.operatorId } : {}),
})

export async function activate(deps: Pick<AppDeps, 'db' | 'clock'> & Partial<Pick<AppDeps, 'tokens' | 'notifier' | 'demo'>>, code: string, deviceName?: string): Promise<ActivateResponse> {
  const [row] = await deps.db.query<CodeRow>(
    `SELECT ${CODE_COLUMNS} FROM activation_codes c WHERE c.code_hash = $1 AND c.revoked_at IS NULL AND (NOT c.demo OR $2)`,
    [hashCode(code), deps.demo ?? false],
  )
  if (!row) throw new AppError('unauthorized', { reason: 'unknown-code' }, BAD_CODE)
  const token = randomBytes(32).toString('base64url')
  const now = deps.clock.now()
  const expires = new Date(now.getTime() + TOKEN_DAYS * DAY_MS)
  const signedOut = await deps.db.transaction(async (tx) => {
    tx.send(
      'INSERT INTO tokens (token_hash, code_id, device_name, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)',
      [sha256(token), row.id, deviceName ?? null, now.toISOString(), expires.toISOString()],
    )
    // The oldest devices beyond the cap are signed out (newest kept; ties by hash, so it is stable).
    return tx.query(
      `UPDATE tokens SET revoked_at = $2 WHERE code_id = $1 AND revoked_at IS NULL AND token_hash NOT IN (
         SELECT token_hash FROM tokens WHERE code_id = $1 AND revoked_at IS NULL ORDER BY created_at DESC, token_hash LIMIT $3)
       RETURNING token_hash`,
      [row.id, now.toISOString(), MAX_TOKENS_PER_CODE],
    )
  })
  if (signedOut.length > 0) {
    deps.tokens?.clear()
    await deps.notifier?.publish([space.principal(principalOf(actorOf(row), row.id)), TOKENS_REVOKED]).catch(() => undefined)
  }
  const { personId: _person, ...actor } = actorOf(row) // the code's id stays on the server
  return { token, ...actor, displayName: row.displayName }
}

/**
 * The caller behind a bearer token, or null (unknown, expired or revoked). With `cache`, a token the
 * database accepted less than the cache's max age ago is not looked up again (token-cache.ts says
 * what that bounds); without it (the poke stream's re-checks), the database always answers.
 */
export async function authenticate(q: Queryable, token: string, now: Date, cache?: TokenCache, demo = false): Promise<Auth | null> {
  if (token.length < 20 || token.length > 100) return null
  return authenticateHash(q, sha256(token), now, cache, demo)
}

/**
 * The same, for a token known by its hash (the poke stream's credential names it so). `demo`: whether
 * tokens issued by demo codes count (demo mode only).
 */
export async function authenticateHash(q: Queryable, tokenHash: string, now: Date, cache?: TokenCache, demo = false): Promise<Auth | null> {
  const cached = cache?.get(tokenHash, now)
  if (cached) return cached
  const generation = cache?.generation ?? 0 // taken before the lookup: a revocation meanwhile voids it
  const [row] = await q.query<CodeRow & { expiresAt: string }>(
    `SELECT ${CODE_COLUMNS}, t.expires_at AS "expiresAt" FROM tokens t JOIN activation_codes c ON c.id = t.code_id
     WHERE t.token_hash = $1 AND t.revoked_at IS NULL AND c.revoked_at IS NULL AND t.expires_at > $2 AND (NOT c.demo OR $3)`,
    [tokenHash, now.toISOString(), demo],
  )
  if (!row) return null
  // Renewed while in use: once a day at most (this lookup runs at most every few seconds per token).
  let expiresAt = Date.parse(row.expiresAt)
  if (expiresAt - now.getTime() < (TOKEN_DAYS - 1) * DAY_MS) {
    expiresAt = now.getTime() + TOKEN_DAYS * DAY_MS
    await q.query('UPDATE tokens SET expires_at = $2 WHERE token_hash = $1 AND revoked_at IS NULL', [tokenHash, new Date(expiresAt).toISOString()])
    await countAccessDay(q, row, now)
  }
  const actor = Object.freeze(actorOf(row))
  // Frozen: a cached Auth is shared by every request of this token for the cache's max age.
  const auth: Auth = Object.freeze({ actor, principal: principalOf(actor, row.id), displayName: row.displayName, tokenHash })
  cache?.set(tokenHash, auth, expiresAt, generation)
  return auth
}

/**
 * Monitoring's "accesses to the platform" without personal data: a renewal happens at most once a day
 * per device in use, so each one is a device-day of use, counted per program, Rome day and role.
 */
function countAccessDay(q: Queryable, c: CodeRow, now: Date): Promise<unknown> {
  return q.query(
    `INSERT INTO platform_access_days (program_id, day, role, uses)
     SELECT id, ($2::timestamptz AT TIME ZONE time_zone)::date, $3, 1 FROM programs WHERE id = $1
     ON CONFLICT (program_id, day, role) DO UPDATE SET uses = platform_access_days.uses + 1`,
    [c.programId, now.toISOString(), c.role],
  )
}

/**
 * Why a token was not accepted, asked only after it was refused: 'revoked' (the device was signed out
 * by the family, the office, or an erasure: the phone then wipes the family's data) or 'unknown-token'
 * (never issued, or expired: the phone keeps its data and asks to activate again).
 */
export async function refusedBecause(q: Queryable, token: string): Promise<'revoked' | 'unknown-token'> {
  if (token.length < 20 || token.length > 100) return 'unknown-token'
  const [row] = await q.query<{ revoked: boolean }>(
    `SELECT (t.revoked_at IS NOT NULL OR c.revoked_at IS NOT NULL) AS revoked FROM activation_codes c JOIN tokens t ON t.code_id = c.id
     WHERE t.token_hash = $1`, [sha256(token)])
  return row?.revoked ? 'revoked' : 'unknown-token'
}

export async function revokeToken(q: Queryable, token: string, now: Date): Promise<boolean> {
  const rows = await q.query('UPDATE tokens SET revoked_at = $2 WHERE token_hash = $1 AND revoked_at IS NULL RETURNING code_id', [sha256(token), now.toISOString()])
  return rows.length > 0
}
