// End-to-end tests: the built PWA served by the real sync server, driven in Debian's Chromium.
// Run with `npm run test:e2e` (builds first); kept out of `npm test`, which needs no browser.
import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    root: '.',
    include: ['client/e2e/**/*.e2e.ts'],
    environment: 'node',
    testTimeout: 120_000,
    hookTimeout: 60_000,
    fileParallelism: false,
  },
})
