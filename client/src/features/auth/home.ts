/** Each role's first screen. */
import type { RouteLocationRaw } from 'vue-router'
import type { Role } from '../../../../shared/actor.ts'

export function homeFor(role: Role | null): RouteLocationRaw {
  if (role === 'provider' || role === 'operator') return { name: 'inbox' }
  if (role === 'officer') return { name: 'office' }
  if (role === 'parent') return { name: 'home' }
  return { name: 'activate' }
}
