/** Routes by role: parent → home, provider → inbox, officer → office; nothing but /activate before activation. */
import { createRouter, createWebHistory, type Router, type RouterHistory } from 'vue-router'
import type { Role } from '../../shared/index.ts'
import ActivateView from './features/auth/ActivateView.vue'
import { useAuthStore } from './features/auth/auth.store.ts'
import { homeFor } from './features/auth/home.ts'
import CatalogueProviderView from './features/catalogue/CatalogueProviderView.vue'
import CatalogueServiceView from './features/catalogue/CatalogueServiceView.vue'
import CatalogueSessionView from './features/catalogue/CatalogueSessionView.vue'
import CatalogueView from './features/catalogue/CatalogueView.vue'
import FamilyHomeView from './features/family/FamilyHomeView.vue'
import InboxView from './features/inbox/InboxView.vue'
import OfficeView from './features/office/OfficeView.vue'
import PlanView from './features/plan/PlanView.vue'

declare module 'vue-router' {
  interface RouteMeta {
    public?: boolean
    roles?: Role[]
  }
}

const browse: Role[] = ['parent', 'provider']

export function createAppRouter(history: RouterHistory = createWebHistory()): Router {
  const router = createRouter({
    history,
    scrollBehavior: (_to, _from, saved) => saved ?? { top: 0 },
    routes: [
      { path: '/activate', name: 'activate', component: ActivateView, meta: { public: true } },
      { path: '/', name: 'root', component: FamilyHomeView },
      { path: '/home', name: 'home', component: FamilyHomeView, meta: { roles: ['parent'] } },
      { path: '/catalogue', name: 'catalogue', component: CatalogueView, meta: { roles: browse } },
      { path: '/catalogue/services/:serviceId', name: 'service', component: CatalogueServiceView, props: true, meta: { roles: browse } },
      { path: '/catalogue/providers/:providerId', name: 'provider', component: CatalogueProviderView, props: true, meta: { roles: browse } },
      { path: '/sessions/:sessionId', name: 'session', component: CatalogueSessionView, props: true, meta: { roles: browse } },
      { path: '/plan', name: 'plan', component: PlanView, meta: { roles: ['parent'] } },
      { path: '/inbox', name: 'inbox', component: InboxView, meta: { roles: ['provider'] } },
      { path: '/office', name: 'office', component: OfficeView, meta: { roles: ['officer'] } },
      { path: '/:pathMatch(.*)*', redirect: '/' },
    ],
  })

  router.beforeEach(async (to) => {
    const auth = useAuthStore()
    await auth.ready()
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
