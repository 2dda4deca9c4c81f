import { describe, expect, it } from 'vitest'
import { LayeredMap } from './layered-map.ts'

describe('LayeredMap', () => {
  it('reads through to the base, keeps writes and deletes to itself, iterates like a changed copy', () => {
    const base = new Map([['a', 1], ['b', 2], ['c', 3]])
    const m = new LayeredMap(base)
    expect(m.touched).toBe(false)
    expect(m.get('b')).toBe(2)
    expect(m.touched).toBe(true)
    expect(m.changed).toBe(false)
    m.set('b', 20)
    m.set('d', 4)
    m.delete('a')
    const copy = new Map(base)
    copy.set('b', 20)
    copy.set('d', 4)
    copy.delete('a')
    expect([...m]).toEqual([...copy])
    expect([...m.keys()]).toEqual(['b', 'c', 'd'])
    expect([...m.values()]).toEqual([20, 3, 4])
    expect(m.size).toBe(3)
    expect(m.has('a')).toBe(false)
    expect(m.get('a')).toBeUndefined()
    expect(m.changed).toBe(true)
    expect([...base]).toEqual([['a', 1], ['b', 2], ['c', 3]]) // the base is never changed
    m.set('a', 10) // back after a delete: in base order again
    expect([...m.keys()]).toEqual(['a', 'b', 'c', 'd'])
  })

  it('undoes like a Map: deleting a key it added, setting back a base value', () => {
    const base = new Map([['a', 1]])
    const m = new LayeredMap(base)
    m.set('x', 9)
    m.delete('x')
    m.set('a', 5)
    m.set('a', 1)
    expect([...m]).toEqual([['a', 1]])
    m.clear()
    expect(m.size).toBe(0)
    expect(base.size).toBe(1)
  })
})
