import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { spawn } from 'node:child_process'
import { afterEach, describe, expect, it } from 'vitest'
import { DataDirBusy, lockDataDir } from './data-dir-lock.ts'

const dirs: string[] = []
const scratch = () => {
  const d = mkdtempSync(join(tmpdir(), 'conciliapp-lock-'))
  dirs.push(d)
  return d
}
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })))

describe('DATA_DIR lock', () => {
  it('is taken with this process id and released', () => {
    const dir = scratch()
    const release = lockDataDir(dir)
    expect(readFileSync(join(dir, 'conciliapp.lock'), 'utf8')).toBe(String(process.pid))
    release()
    expect(existsSync(join(dir, 'conciliapp.lock'))).toBe(false)
  })

  it('refuses a directory held by another live process', async () => {
    const dir = scratch()
    const other = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 30000)'])
    try {
      writeFileSync(join(dir, 'conciliapp.lock'), String(other.pid))
      expect(() => lockDataDir(dir)).toThrow(DataDirBusy)
      expect(() => lockDataDir(dir)).toThrow(`pid ${other.pid}`)
    } finally {
      other.kill('SIGKILL')
      await new Promise((r) => other.once('exit', r))
    }
  })

  it('takes over a stale lock whose process is gone (e.g. after SIGKILL)', async () => {
    const dir = scratch()
    const gone = spawn(process.execPath, ['-e', '0'])
    await new Promise((r) => gone.once('exit', r))
    writeFileSync(join(dir, 'conciliapp.lock'), String(gone.pid))
    const release = lockDataDir(dir)
    expect(readFileSync(join(dir, 'conciliapp.lock'), 'utf8')).toBe(String(process.pid))
    release()
  })
})
