/**
 * Routes by role: parent → home, provider → inbox, officer → office; nothing but /activate before activation.
 * The family's everyday screens load with the app; the others are split out (the service worker precaches all).
 */
import { createRouter, createWebHistory, type Router, type RouterHistory } from 'vue-router'
import type { Role } from '../../shared/index.ts'
import { useAuthStore } from './features/auth/auth.store.ts'
import { homeFor } from './features/auth/home.ts'
import CatalogueView from './features/catalogue/CatalogueView.vue'
import FamilyHomeView from './features/family/FamilyHomeView.vue'
import PlanView from './features/plan/PlanView.vue'

declare module 'vue-router' {
  interface RouteMeta {
    public?: boolean
    /** Open to everyone, signed in or not (the privacy notice, the accessibility statement). */
    open?: boolean
    roles?: Role[]
  }
}

const browse: Role[] = ['parent', 'provider']

export function createAppRouter(history: RouterHistory = createWebHistory()): Router {
  const router = createRouter({
    history,
    scrollBehavior: (_to, _from, saved) => saved ?? { top: 0 },
    routes: [
      { path: '/activate', name: 'activate', component: () => import('./features/auth/ActivateView.vue'), meta: { public: true } },
      { path: '/', name: 'root', component: FamilyHomeView },
      { path: '/home', name: 'home', component: FamilyHomeView, meta: { roles: ['parent'] } },
      { path: '/catalogue', name: 'catalogue', component: CatalogueView, meta: { roles: browse } },
      { path: '/catalogue/services/:serviceId', name: 'service', component: () => import('./features/catalogue/CatalogueServiceView.vue'), props: true, meta: { roles: browse } },
      { path: '/catalogue/providers/:providerId', name: 'provider', component: () => import('./features/catalogue/CatalogueProviderView.vue'), props: true, meta: { roles: browse } },
      { path: '/sessions/:sessionId', name: 'session', component: () => import('./features/catalogue/CatalogueSessionView.vue'), props: true, meta: { roles: browse } },
      { path: '/plan', name: 'plan', component: PlanView, meta: { roles: ['parent'] } },
      { path: '/inbox', name: 'inbox', component: () => import('./features/inbox/InboxView.vue'), meta: { roles: ['provider', 'operator'] } },
      { path: '/payments', name: 'payments', component: () => import('./features/payments/PaymentsView.vue'), meta: { roles: ['provider'] } },
      { path: '/operators', name: 'operators', component: () => import('./features/operators/OperatorsView.vue'), meta: { roles: ['provider'] } },
      { path: '/my-sessions', name: 'my-sessions', component: () => import('./features/sessions/SessionsView.vue'), meta: { roles: ['provider'] } },
      { path: '/my-sessions/new', name: 'my-session-new', component: () => import('./features/sessions/SessionsFormView.vue'), meta: { roles: ['provider'] } },
      { path: '/my-sessions/:sessionId/edit', name: 'my-session-edit', component: () => import('./features/sessions/SessionsFormView.vue'), props: true, meta: { roles: ['provider'] } },
      { path: '/office', name: 'office', component: () => import('./features/office/OfficeView.vue'), meta: { roles: ['officer'] } },
      { path: '/privacy', name: 'privacy', component: () => import('./features/legal/LegalPageView.vue'), props: { page: 'privacy' }, meta: { open: true } },
      { path: '/accessibility', name: 'accessibility', component: () => import('./features/legal/LegalPageView.vue'), props: { page: 'accessibility' }, meta: { open: true } },
      { path: '/:pathMatch(.*)*', redirect: '/' },
    ],
  })

  router.beforeEach(async (to) => {
    const auth = useAuthStore()
    await auth.ready()
    if (to.meta.open) return true
    if (to.meta.public) {
      // A signed-in device goes home; a device signed out by the server may activate again.
      return auth.auth && !auth.revoked ? homeFor(auth.role) : true
    }
    if (!auth.auth) return { name: 'activate' }
    if (to.name === 'root') return homeFor(auth.role)
    if (to.meta.roles && !to.meta.roles.includes(auth.auth.role)) return homeFor(auth.role)
    return true
  })

  return router
}
