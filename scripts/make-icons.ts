// Renders public/favicon.svg into the PWA's PNG icons with Debian's Chromium (run by hand when the
// mark changes: `npx tsx scripts/make-icons.ts`); the PNGs are committed, nothing runs at install.
import { chromium } from 'playwright-core'
import { readFileSync } from 'node:fs'

const svg = readFileSync('public/favicon.svg', 'utf8')
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] })
const page = await browser.newPage()
for (const [size, file, pad] of [[192, 'icon-192.png', 0], [512, 'icon-512.png', 0], [512, 'icon-512-maskable.png', 0.12]] as const) {
  await page.setViewportSize({ width: size, height: size })
  const inner = Math.round(size * (1 - 2 * pad))
  await page.setContent(`<body style="margin:0;background:#0b5d57;display:grid;place-items:center;height:${size}px">
    <div style="width:${inner}px;height:${inner}px">${svg.replace('<svg ', `<svg width="${inner}" height="${inner}" `)}</div></body>`)
  await page.screenshot({ path: `public/icons/${file}`, omitBackground: false })
}
await browser.close()
