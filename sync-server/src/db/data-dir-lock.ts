/**
 * PGlite has no lock of its own on its data directory (electric-sql/pglite#1106): a second server
 * process opening the same DATA_DIR would corrupt it. This lock file (the owner's PID, created
 * exclusively) turns that into a clear start-up error. A lock left by a process that no longer
 * exists (SIGKILL, power cut) is stale and taken over.
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

export class DataDirBusy extends Error {
  constructor(readonly dataDir: string, readonly pid: number) {
    super(`DATA_DIR ${dataDir} is in use by another server process (pid ${pid}): stop it, or set a different DATA_DIR`)
  }
}

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0)
    return true
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/** Takes the lock on `dataDir` for this process; returns the function that releases it. */
export function lockDataDir(dataDir: string): () => void {
  const file = join(dataDir, 'conciliapp.lock')
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(file, String(process.pid), { flag: 'wx' })
      return () => rmSync(file, { force: true })
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e
      const owner = Number.parseInt(readFileSync(file, 'utf8'), 10)
      if (Number.isInteger(owner) && owner !== process.pid && alive(owner)) throw new DataDirBusy(dataDir, owner)
      rmSync(file, { force: true }) // stale: its process is gone
    }
  }
  throw new DataDirBusy(dataDir, -1)
}
