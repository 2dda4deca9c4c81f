import { describe, expect, it, vi } from 'vitest'
import { effectScope, shallowRef } from 'vue'
import { firstScreenFirst } from './first-screen.ts'

describe('firstScreenFirst', () => {
  it('shows the first items at once, then grows after each frame until the list is whole, and follows it', async () => {
    const list = shallowRef(Array.from({ length: 50 }, (_, i) => i))
    const scope = effectScope()
    const shown = scope.run(() => firstScreenFirst(() => list.value, { first: 12, step: 16 }))!
    expect(shown.value).toEqual(list.value.slice(0, 12))
    await vi.waitFor(() => expect(shown.value).toBe(list.value))
    list.value = [...list.value, 50, 51]
    expect(shown.value).toBe(list.value)
    scope.stop()
  })

  it('a short list is whole at once', () => {
    const scope = effectScope()
    const shown = scope.run(() => firstScreenFirst(() => [1, 2, 3]))!
    expect(shown.value).toEqual([1, 2, 3])
    scope.stop()
  })
})
