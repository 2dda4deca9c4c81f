import { afterEach, describe, expect, it } from 'vitest'
import { refocus } from './focus.ts'

afterEach(() => {
  document.body.innerHTML = ''
})

describe('refocus', () => {
  it('focuses the target once it shows, when the focus was lost', async () => {
    const done = refocus('[data-id="x"][data-state="cancelled"] h2', () => false, 400)
    document.body.innerHTML = '<article data-id="x" data-state="requested"><h2 tabindex="-1">Dopo-scuola</h2></article>'
    await new Promise((r) => setTimeout(r, 120))
    expect(document.activeElement).toBe(document.body) // not in its new state yet
    document.querySelector('article')!.setAttribute('data-state', 'cancelled')
    await done
    expect(document.activeElement).toBe(document.querySelector('h2'))
  })

  it('takes the focus from a control that is disabled now (a send button after sending)', async () => {
    document.body.innerHTML = '<button id="send">Invia</button><h3 id="t" tabindex="-1">Richiesta</h3>'
    const send = document.querySelector<HTMLButtonElement>('#send')!
    send.focus()
    send.disabled = true
    await refocus('#t', () => false, 200)
    expect(document.activeElement).toBe(document.querySelector('#t'))
  })

  it('follows the change when what it focused goes too (not sent, then refused)', async () => {
    const done = refocus('[data-request-id="r1"] h3, [data-refused-id="r1"]', () => false, 400)
    document.body.innerHTML = '<article data-request-id="r1"><h3 tabindex="-1">Non ancora inviata</h3></article>'
    await new Promise((r) => setTimeout(r, 120))
    expect(document.activeElement?.textContent).toBe('Non ancora inviata')
    document.body.innerHTML = '<article data-refused-id="r1" tabindex="-1">Non accettata</article>'
    await done
    expect(document.activeElement?.textContent).toBe('Non accettata')
  })

  it('watches for the latest action only', async () => {
    document.body.innerHTML = '<h2 id="a" tabindex="-1">Prima</h2><h2 id="b" tabindex="-1">Seconda</h2>'
    const first = refocus('#a', () => false, 300)
    const second = refocus('#b', () => false, 300)
    await Promise.all([first, second])
    expect(document.activeElement?.id).toBe('b')
  })

  it('stops once the screen that asked is left', async () => {
    let left = false
    const done = refocus('#t', () => left, 400)
    left = true
    document.body.innerHTML = '<h2 id="t" tabindex="-1">Titolo</h2>'
    await done
    expect(document.activeElement).toBe(document.body)
  })

  it('leaves someone who moved on where they are', async () => {
    document.body.innerHTML = '<button>Altro</button><h2 id="t" tabindex="-1">Titolo</h2>'
    document.querySelector('button')!.focus()
    await refocus('#t', () => false, 200)
    expect(document.activeElement).toBe(document.querySelector('button'))
  })
})
