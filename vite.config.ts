// Builds the PWA (client/) into dist/, and configures vitest's three projects:
// shared (pure rules), server (Hono + PGlite, or Postgres with TEST_DATABASE_URL), client (happy-dom + fake-indexeddb).
import { configDefaults, defineConfig } from 'vitest/config'
import vue from '@vitejs/plugin-vue'
import { VitePWA } from 'vite-plugin-pwa'
import type { Plugin } from 'vite'
import { compression } from 'vite-plugin-compression2'

/**
 * The app's modules the first screen runs: every module `client/src/main.ts` imports statically,
 * directly or through others (dynamic imports not followed), computed from the module graph once it
 * is built (`firstScreen` below), before the chunks are cut. They make ONE `app` chunk; every other
 * module of the app goes with the lazy chunks that use it. No hand-kept list of lazy modules: a
 * module moves off the first screen as soon as no first-screen module imports it.
 */
const FIRST_SCREEN = new Set<string>()

function firstScreen(): Plugin {
  return {
    name: 'conciliapp:first-screen',
    apply: 'build',
    buildEnd() {
      FIRST_SCREEN.clear()
      const entry = [...this.getModuleIds()].find((id) => /[\\/]client[\\/]src[\\/]main\.ts$/.test(id))
      const queue = entry ? [entry] : []
      for (let id = queue.pop(); id !== undefined; id = queue.pop()) {
        if (FIRST_SCREEN.has(id)) continue
        FIRST_SCREEN.add(id)
        queue.push(...(this.getModuleInfo(id)?.importedIds ?? []))
      }
    },
  }
}

/**
 * vue-i18n's ESM builds (11.x) import Vue as a namespace and probe it with `'currentInstance' in Vue`
 * (a Vue 3.6 export; 3.5 has none) before calling `Vue.getCurrentInstance()`. An `in` on a namespace
 * makes the bundler build the whole namespace object, which keeps EVERY export of Vue in the bundle
 * (Transition, KeepAlive, Suspense, Teleport, custom elements, hydration…): the first screen paid for
 * all of Vue. On Vue 3.5 the probe is always false, so the helper is rewritten to the static call it
 * falls back to, and the unused exports are tree-shaken again (intlify/vue-i18n#2573).
 * If a vue-i18n update changes the helper, the build fails here rather than silently growing.
 */
function vueI18nStaticVue(): Plugin {
  const PROBE = /const key = 'currentInstance';\s*if \(key in Vue\) \{\s*return Vue\[key\];\s*\}\s*else \{\s*return Vue\.getCurrentInstance\(\);\s*\}/
  return {
    name: 'conciliapp:vue-i18n-static-vue',
    apply: 'build',
    transform: {
      filter: { id: /[\\/]node_modules[\\/]vue-i18n[\\/]dist[\\/][^\\/]+\.mjs$/ },
      handler(code, id) {
        if (!/\bin Vue\b/.test(code)) return null
        if (!PROBE.test(code)) this.error(`vue-i18n changed its getCurrentInstance helper (${id}): check vueI18nStaticVue in vite.config.ts`)
        return { code: code.replace(PROBE, 'return Vue.getCurrentInstance();'), map: null }
      },
    },
  }
}

/**
 * vue-i18n without its message compiler in the built app: the app compiles its words itself
 * (client/src/i18n/compile.ts, named values and plurals), so `@intlify/message-compiler` is dead code
 * once this flag is true (~5 KB gzip off the first screen). Build only: the tests keep vue-i18n's
 * compiler, which `compile.test.ts` checks the app's against, message by message.
 */
function vueI18nWithoutCompiler(): Plugin {
  return { name: 'conciliapp:vue-i18n-without-compiler', apply: 'build', config: () => ({ define: { __INTLIFY_DROP_MESSAGE_COMPILER__: 'true' } }) }
}

/** The framework together (every screen needs it), the other libraries each alone. */
const VENDOR_GROUPS = [
  { name: 'vendor', test: /[\\/]node_modules[\\/](@vue|vue|vue-router|pinia|vue-i18n|@intlify)[\\/]/, priority: 2 },
  { name: 'dexie', test: /[\\/]node_modules[\\/]dexie[\\/]/, priority: 2 },
  { name: 'zod', test: /[\\/]node_modules[\\/]zod[\\/]/, priority: 2 },
  // The charting library: the office's monitoring screen only (not precached: globIgnores below).
  { name: 'charts', test: /[\\/]node_modules[\\/](chart\.js|@kurkle)[\\/]/, priority: 2 },
  // The app's own modules of the first screen in one chunk rather than in a dozen small chunks of
  // their own (each costs a request, and gzip compresses worse apart); the rest with the lazy screens.
  { name: 'app', test: (id: string) => /[\\/](client[\\/]src|shared)[\\/]/.test(id) && FIRST_SCREEN.has(id), priority: 1 },
]

export default defineConfig({
  root: 'client',
  publicDir: '../public',
  build: {
    outDir: '../dist',
    emptyOutDir: true,
    // Libraries in named chunks (cached across app updates), one per library or family, so a screen
    // loads the libraries it uses and no more (issue 10: the parent's first screen, `npm run bench:bundle`).
    rolldownOptions: { output: { codeSplitting: { groups: VENDOR_GROUPS } } },
  },
  // Vue's and vue-i18n's build flags: no Options API (every component is `<script setup>`), no
  // vue-i18n legacy API (`legacy: false`) nor its global `$t` install, nor its devtools hooks: less
  // code on every cold start.
  define: {
    __VUE_OPTIONS_API__: 'false',
    __VUE_I18N_LEGACY_API__: 'false',
    __VUE_I18N_FULL_INSTALL__: 'false',
    __INTLIFY_PROD_DEVTOOLS__: 'false',
  },
  server: { port: 5173, proxy: { '/api': 'http://localhost:8787' } },
  plugins: [
    firstScreen(),
    vueI18nStaticVue(),
    vueI18nWithoutCompiler(),
    vue(),
    VitePWA({
      registerType: 'prompt',
      injectRegister: false,
      includeAssets: ['favicon.svg', 'icons/*.png'],
      manifest: {
        name: 'Conciliapp — voucher conciliazione famiglia-lavoro',
        short_name: 'Conciliapp',
        description: 'Voucher, piano e prenotazioni dei servizi di conciliazione',
        lang: 'it',
        start_url: '/',
        scope: '/',
        display: 'standalone',
        background_color: '#ffffff',
        theme_color: '#0b5d57',
        icons: [
          { src: '/icons/icon-192.png', sizes: '192x192', type: 'image/png' },
          { src: '/icons/icon-512.png', sizes: '512x512', type: 'image/png' },
          { src: '/icons/icon-512-maskable.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
        ],
      },
      workbox: {
        globPatterns: ['**/*.{js,css,html,svg,png,webmanifest}'],
        // The charting library is for the office's monitoring, which needs the network anyway: phones
        // do not precache it (~60 kB gzipped), the officer's browser fetches it with that screen.
        globIgnores: ['**/charts-*.js'],
        navigateFallback: '/index.html',
        navigateFallbackDenylist: [/^\/api\//],
        cleanupOutdatedCaches: true,
        // Web Push notifications (issue 9): public/push-sw.js shows them and opens the app when tapped.
        importScripts: ['/push-sw.js'],
        // Background Sync (issue 9): a push that fails for want of a network is kept by the worker and
        // sent again when the connection returns, even with the app closed (client/src/features/emergency/background-sync.ts).
        runtimeCaching: [
          {
            urlPattern: /\/api\/sync\/push$/,
            method: 'POST',
            handler: 'NetworkOnly',
            options: { backgroundSync: { name: 'conciliapp-push', options: { maxRetentionTime: 24 * 60 } } },
          },
        ],
      },
    }),
    // Brotli and gzip copies beside each file, served in their place to browsers that accept them
    // (web.routes.ts): a phone on a slow line downloads the app shell at about a third of its size.
    compression({ algorithms: ['brotliCompress', 'gzip'], include: /\.(js|css|html|svg|webmanifest|json)$/, threshold: 1024 }),
  ],
  test: {
    root: '.',
    projects: [
      { test: { name: 'shared', root: '.', include: ['shared/**/*.test.ts'], environment: 'node' } },
      {

        test: { name: 'server', root: '.', include: ['sync-server/**/*.test.ts'], exclude: [...configDefaults.exclude, 'sync-server/**/*.system.test.ts'], environment: 'node', testTimeout: 60_000, hookTimeout: 60_000 },
      },
      // Real server processes on a scratch Postgres (kill -9, two processes, LISTEN/NOTIFY): only with
      // `npm run test:system` (needs TEST_DATABASE_URL; fails, never skips, without it). One file at a time.
      ...(process.env.SYSTEM_TESTS === '1'
        ? [{ test: { name: 'system', root: '.', include: ['sync-server/**/*.system.test.ts'], environment: 'node', testTimeout: 180_000, hookTimeout: 120_000, fileParallelism: false } }]
        : []),
      {
        extends: true,
        // The app's public folder, as seen from the tests' root (the build's root is client/): a component
        // that shows /favicon.svg mounts in a test.
        publicDir: 'public',
        test: { name: 'client', root: '.', include: ['client/src/**/*.test.ts'], environment: 'happy-dom', setupFiles: ['client/src/test-setup.ts'] },
      },
    ],
  },
})
