import { describe, expect, it } from 'vitest'
import { ChildUpsertArgs, MessageSendArgs } from './mutators/args.ts'
import { Text } from './ids.ts'

describe('Text: free text a person typed', () => {
  it('keeps any script, Arabic and Hebrew included (the app shows it with dir="auto")', () => {
    for (const s of ['Anna Maria', 'مريم', 'נועה', 'Zoë 🙂']) expect(Text(60).safeParse(s).success).toBe(true)
  })
  it('refuses bidirectional control characters and NUL, in names, notes and messages alike', () => {
    for (const c of ['\u202E', '\u2066', '\u2069', '\u200F', '\u061C', '\u0000']) {
      expect(Text(60).safeParse(`Anna${c}Maria`).success, JSON.stringify(c)).toBe(false)
    }
    expect(ChildUpsertArgs.safeParse({ childId: 'c1', firstName: 'Anna\u202Eairam', birthDate: '2020-01-01' }).success).toBe(false)
    expect(MessageSendArgs.safeParse({ messageId: 'm1', bookingId: 'b1', body: 'ok \u2067x\u2069' }).success).toBe(false)
  })
})
