/**
 * Routes by role: parent → home, provider → inbox, officer → office; nothing but /activate before activation.
 * The parent's first screens (home, plan) load with the app; every other screen is a chunk of its own,
 * loaded when first opened (the service worker precaches all, so offline too): issue 10, `npm run bench:bundle`.
 */
import { createRouter, createWebHistory, type Router, type RouterHistory } from 'vue-router'
import type { Role } from '../../shared/actor.ts'
import { useAuthStore } from './features/auth/auth.store.ts'
import { homeFor } from './features/auth/home.ts'
import { loadStaffWords } from './i18n/index.ts'
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
      { path: '/catalogue', name: 'catalogue', component: () => import('./features/catalogue/CatalogueView.vue'), meta: { roles: browse } },
      { path: '/catalogue/services/:serviceId', name: 'service', component: () => import('./features/catalogue/CatalogueServiceView.vue'), props: true, meta: { roles: browse } },
      { path: '/catalogue/providers/:providerId', name: 'provider', component: () => import('./features/catalogue/CatalogueProviderView.vue'), props: true, meta: { roles: browse } },
      { path: '/sessions/:sessionId', name: 'session', component: () => import('./features/catalogue/CatalogueSessionView.vue'), props: true, meta: { roles: browse } },
      { path: '/plan', name: 'plan', component: PlanView, meta: { roles: ['parent'] } },
      { path: '/plan/week', name: 'plan-week', component: () => import('./features/plan/PlanWeekView.vue'), meta: { roles: ['parent'] } },
      { path: '/plan/past', name: 'plan-past', component: () => import('./features/plan/PlanHistoryView.vue'), meta: { roles: ['parent'] } },
      // The family's children and data (issue 10).
      { path: '/children/new', name: 'child-new', component: () => import('./features/children/ChildView.vue'), meta: { roles: ['parent'] } },
      { path: '/children/:childId', name: 'child', component: () => import('./features/children/ChildView.vue'), props: true, meta: { roles: ['parent'] } },
      { path: '/my-data', name: 'my-data', component: () => import('./features/my-data/MyDataView.vue'), meta: { roles: ['parent'] } },
      { path: '/vouchers/:childId', name: 'voucher', component: () => import('./features/vouchers/VoucherLedgerView.vue'), props: true, meta: { roles: ['parent'] } },
      { path: '/emergency', name: 'emergency', component: () => import('./features/emergency/EmergencyRequestView.vue'), meta: { roles: ['parent'] } },
      { path: '/apply', name: 'apply', component: () => import('./features/apply/ApplyView.vue'), meta: { roles: ['parent'] } },
      { path: '/inbox', name: 'inbox', component: () => import('./features/inbox/InboxView.vue'), meta: { roles: ['provider', 'operator'] } },
      { path: '/payments', name: 'payments', component: () => import('./features/payments/PaymentsView.vue'), meta: { roles: ['provider'] } },
      { path: '/operators', name: 'operators', component: () => import('./features/operators/OperatorsView.vue'), meta: { roles: ['provider'] } },
      { path: '/my-sessions', name: 'my-sessions', component: () => import('./features/sessions/SessionsView.vue'), meta: { roles: ['provider'] } },
      { path: '/my-sessions/new', name: 'my-session-new', component: () => import('./features/sessions/SessionsFormView.vue'), meta: { roles: ['provider'] } },
      { path: '/my-sessions/:sessionId/edit', name: 'my-session-edit', component: () => import('./features/sessions/SessionsFormView.vue'), props: true, meta: { roles: ['provider'] } },
      { path: '/office', name: 'office', component: () => import('./features/office/OfficeView.vue'), meta: { roles: ['officer'] } },
      { path: '/office/statements', name: 'office-statements', component: () => import('./features/office/OfficeStatementsView.vue'), meta: { roles: ['officer'] } },
      { path: '/office/requests', name: 'office-requests', component: () => import('./features/office/OfficeRequestsView.vue'), meta: { roles: ['officer'] } },
      { path: '/office/monitoring', name: 'office-monitoring', component: () => import('./features/office/OfficeMonitoringView.vue'), meta: { roles: ['officer'] } },
      // Calls, ranking and letters (the QR library loads with the letters only).
      { path: '/office/program', name: 'office-program', component: () => import('./features/office/OfficeProgramView.vue'), meta: { roles: ['officer'] } },
      { path: '/office/providers', name: 'office-providers', component: () => import('./features/office/OfficeProvidersView.vue'), meta: { roles: ['officer'] } },
      { path: '/office/employers', name: 'office-employers', component: () => import('./features/office/OfficeEmployersView.vue'), meta: { roles: ['officer'] } },
      { path: '/office/audit', name: 'office-audit', component: () => import('./features/office/OfficeAuditView.vue'), meta: { roles: ['officer'] } },
      { path: '/office/calls', name: 'office-calls', component: () => import('./features/office/OfficeCallsView.vue'), meta: { roles: ['officer'] } },
      { path: '/office/calls/:callId', name: 'office-call', component: () => import('./features/office/OfficeCallView.vue'), props: true, meta: { roles: ['officer'] } },
      { path: '/office/calls/:callId/letters', name: 'office-letters', component: () => import('./features/office/OfficeCallLetters.vue'), props: true, meta: { roles: ['officer'] } },
      // The published ranking of a call: anyone, without a code (protocol numbers only).
      { path: '/graduatoria/:callId', name: 'public-ranking', component: () => import('./features/ranking/PublicRankingView.vue'), props: true, meta: { open: true } },
      { path: '/privacy', name: 'privacy', component: () => import('./features/legal/LegalPageView.vue'), props: { page: 'privacy' }, meta: { open: true } },
      { path: '/accessibility', name: 'accessibility', component: () => import('./features/legal/LegalPageView.vue'), props: { page: 'accessibility' }, meta: { open: true } },
      { path: '/:pathMatch(.*)*', redirect: '/' },
    ],
  })

  router.beforeEach(async (to) => {
    const auth = useAuthStore()
    await auth.ready()
    // The staff's words are a chunk of their own (i18n/index.ts): there before any of their screens.
    // Without them (a failed load) the screen still opens, and the next navigation tries again.
    if (auth.auth && auth.auth.role !== 'parent') await loadStaffWords().catch(() => undefined)
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
