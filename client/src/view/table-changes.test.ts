import { RangeSet } from 'dexie'
import { describe, expect, it } from 'vitest'
import { dirtyFrom, mergeDirty, type TableKey } from './table-changes.ts'

const tables = new Set(['bookings', 'sessions', 'outbox', 'meta'])

describe('table changes from Dexie reports', () => {
  it('reads the keys of each table out of its primary-key part, ignoring index parts and other databases', () => {
    const parts = {
      'idb://conciliapp/bookings/': new RangeSet().addKeys(['b1', 'b2']),
      'idb://conciliapp/bookings/sessionId': new RangeSet().addKeys(['s1']),
      'idb://conciliapp/bookings/:dels': new RangeSet().addKeys(['b1']),
      'idb://conciliapp/outbox/': new RangeSet().addKeys([7]),
      'idb://other/sessions/': new RangeSet().addKeys(['s1']),
      'idb://conciliapp/families/': new RangeSet().addKeys(['f1']), // not watched
    }
    expect(dirtyFrom(parts, 'conciliapp', tables)).toEqual(new Map<string, unknown>([['bookings', new Set(['b1', 'b2'])], ['outbox', new Set([7])]]))
  })

  it('says "all" for a range (a clear, a bulk write), for every table on a global report, and across tabs (plain trees)', () => {
    expect(dirtyFrom({ 'idb://conciliapp/sessions/': new RangeSet(-Infinity, [[]]) }, 'conciliapp', tables).get('sessions')).toBe('all')
    expect([...dirtyFrom({ all: new RangeSet(-Infinity, [[]]) }, 'conciliapp', tables).values()]).toEqual(['all', 'all', 'all', 'all'])
    // What a BroadcastChannel delivers: the same tree without its prototype.
    const relayed = JSON.parse(JSON.stringify({ 'idb://conciliapp/bookings/': new RangeSet().addKeys(['b1', 'b3', 'b2']) })) as never
    expect(dirtyFrom(relayed, 'conciliapp', tables).get('bookings')).toEqual(new Set(['b1', 'b2', 'b3']))
  })

  it('merges reports', () => {
    const a = dirtyFrom({ 'idb://conciliapp/bookings/': new RangeSet().addKeys(['b1']) }, 'conciliapp', tables)
    mergeDirty(a, new Map<string, Set<TableKey> | 'all'>([['bookings', new Set(['b2'])], ['sessions', 'all']]))
    expect(a).toEqual(new Map<string, unknown>([['bookings', new Set(['b1', 'b2'])], ['sessions', 'all']]))
    mergeDirty(a, new Map<string, Set<TableKey> | 'all'>([['sessions', new Set(['s1'])], ['bookings', 'all']]))
    expect(a).toEqual(new Map<string, unknown>([['bookings', 'all'], ['sessions', 'all']]))
  })
})
