/**
 * A Map seen through onto a base map: reads fall through to `base`, writes and deletes stay in the
 * layer, `base` is never changed. The replay of the outbox runs on one layer per entity over the
 * mirror's maps, so it costs what the pending mutations touch, not a copy of the whole mirror.
 *
 * It iterates in the order a copy of `base` changed the same way would: base keys in their order
 * (with the layer's value where it overwrote one), then the keys the layer added, in insertion order.
 * `touched` says whether anything read or wrote it (the replay's dependencies).
 */
export class LayeredMap<K, V> extends Map<K, V> {
  private readonly gone = new Set<K>()
  touched = false

  constructor(private readonly base: ReadonlyMap<K, V>) {
    super()
  }

  /** Did the layer change anything (a write or a delete)? */
  get changed(): boolean {
    return super.size > 0 || this.gone.size > 0
  }

  override get(key: K): V | undefined {
    this.touched = true
    if (super.has(key)) return super.get(key)
    return this.gone.has(key) ? undefined : this.base.get(key)
  }

  override has(key: K): boolean {
    this.touched = true
    return super.has(key) || (!this.gone.has(key) && this.base.has(key))
  }

  override set(key: K, value: V): this {
    this.touched = true
    this.gone.delete(key)
    return super.set(key, value)
  }

  override delete(key: K): boolean {
    this.touched = true
    const had = this.has(key)
    super.delete(key)
    if (this.base.has(key)) this.gone.add(key)
    return had
  }

  override clear(): void {
    this.touched = true
    super.clear()
    for (const k of this.base.keys()) this.gone.add(k)
  }

  override get size(): number {
    let n = 0
    for (const _ of this.keys()) n++
    return n
  }

  override *entries(): MapIterator<[K, V]> {
    this.touched = true
    for (const [k, v] of this.base) {
      if (super.has(k)) yield [k, super.get(k) as V]
      else if (!this.gone.has(k)) yield [k, v]
    }
    for (const [k, v] of super.entries()) if (!this.base.has(k)) yield [k, v]
  }

  override *keys(): MapIterator<K> {
    for (const [k] of this.entries()) yield k
  }

  override *values(): MapIterator<V> {
    for (const [, v] of this.entries()) yield v
  }

  override [Symbol.iterator](): MapIterator<[K, V]> {
    return this.entries()
  }

  override forEach(fn: (value: V, key: K, map: Map<K, V>) => void, thisArg?: unknown): void {
    for (const [k, v] of this.entries()) fn.call(thisArg, v, k, this)
  }
}
