/**
 * The dialog's focus while focus-trap loads (it is not on the first screen): a person who has already
 * moved to a control of the dialog stays there when the trap starts (keyboard.e2e's cancel: "Keep"
 * took the focus back from "Cancel the booking" under a quick Tab, and Enter kept the booking).
 */
import { flushPromises, mount } from '@vue/test-utils'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { defineComponent, h, ref } from 'vue'
import type * as FocusTrap from 'focus-trap'
import UiDialog from './UiDialog.vue'

const Host = defineComponent({
  setup(_, { expose }) {
    const open = ref(false)
    expose({ open })
    return () => [
      h('button', { 'data-testid': 'opener', onClick: () => (open.value = true) }, 'open'),
      h(UiDialog, { open: open.value, title: 'Cancel?', testid: 'dlg', onClose: () => (open.value = false) }, {
        default: () => h('p', 'Sure?'),
        actions: () => [h('button', { 'data-testid': 'keep' }, 'Keep'), h('button', { 'data-testid': 'go' }, 'Cancel it')],
      }),
    ]
  },
})

// The real focus-trap, counting the traps started (it loads on demand: the test waits for it).
const started = vi.hoisted(() => ({ n: 0 }))
vi.mock('focus-trap', async (importOriginal) => {
  const real = await importOriginal<typeof FocusTrap>()
  return {
    ...real,
    createFocusTrap: (...args: Parameters<typeof real.createFocusTrap>) => {
      const trap = real.createFocusTrap(...args)
      const activate = trap.activate.bind(trap)
      trap.activate = (opts) => {
        started.n++
        return activate(opts)
      }
      return trap
    },
  }
})

const focused = () => document.activeElement?.getAttribute('data-testid') ?? null
/** The trap started, and its initial focus (focus-trap moves it in a timeout) is done. */
const trapStarted = async () => {
  await vi.waitFor(() => expect(started.n).toBe(1), { timeout: 5000 })
  await new Promise((r) => setTimeout(r, 20))
  await flushPromises()
}

describe('UiDialog focus', () => {
  beforeEach(() => (started.n = 0))
  afterEach(() => document.body.replaceChildren())

  it('starts on the first control, and gives the focus back to the opener when it closes', async () => {
    const w = mount(Host, { attachTo: document.body })
    ;(document.querySelector('[data-testid="opener"]') as HTMLElement).focus()
    ;(w.vm as unknown as { open: boolean }).open = true
    await trapStarted()
    expect(focused()).toBe('keep')
    ;(w.vm as unknown as { open: boolean }).open = false
    await flushPromises()
    expect(focused()).toBe('opener')
    w.unmount()
  })

  it('leaves the focus where the person moved it before the trap started', async () => {
    const w = mount(Host, { attachTo: document.body })
    ;(document.querySelector('[data-testid="opener"]') as HTMLElement).focus()
    ;(w.vm as unknown as { open: boolean }).open = true
    await w.vm.$nextTick()
    await w.vm.$nextTick()
    // focus-trap is still loading: the panel holds the focus; the person tabs on to "Cancel it".
    expect(focused()).toBe('dlg')
    ;(document.querySelector('[data-testid="go"]') as HTMLElement).focus()
    await trapStarted()
    expect(focused()).toBe('go')
    w.unmount()
  })
})
