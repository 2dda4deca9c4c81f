// Builds the PWA (client/) into dist/, and configures vitest's three projects:
// shared (pure rules), server (Hono + PGlite, or Postgres with TEST_DATABASE_URL), client (happy-dom + fake-indexeddb).
import { configDefaults, defineConfig } from 'vitest/config'
import vue from '@vitejs/plugin-vue'
import { VitePWA } from 'vite-plugin-pwa'
import { compression } from 'vite-plugin-compression2'

export default defineConfig({
  root: 'client',
  publicDir: '../public',
  build: {
    outDir: '../dist',
    emptyOutDir: true,
    // Libraries in one named chunk (cached across app updates), the app's own code in the others. The
    // charting library has its own chunk, loaded by the office's monitoring screen only.
    rolldownOptions: {
      output: {
        codeSplitting: {
          groups: [
            { name: 'charts', test: /[\\/]node_modules[\\/](chart\.js|@kurkle)[\\/]/, priority: 2 },
            { name: 'vendor', test: /[\\/]node_modules[\\/]/, priority: 1 },
          ],
        },
      },
    },
  },
  server: { port: 5173, proxy: { '/api': 'http://localhost:8787' } },
  plugins: [
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
        test: { name: 'client', root: '.', include: ['client/src/**/*.test.ts'], environment: 'happy-dom', setupFiles: ['client/src/test-setup.ts'] },
      },
    ],
  },
})
