import { describe, expect, it } from 'vitest'
import type { z } from 'zod'
import {
  BOOKING_REQUEST_SHAPE, EMERGENCY_REQUEST_SHAPE, MESSAGE_SEND_SHAPE, readBookingRequest, readEmergencyRequest, readMessageSend,
} from './arg-readers.ts'
import { BookingRequestArgs, EmergencyRequestArgs, MessageSendArgs } from './args.ts'

const PAIRS = [
  ['booking.request', BookingRequestArgs, BOOKING_REQUEST_SHAPE],
  ['message.send', MessageSendArgs, MESSAGE_SEND_SHAPE],
  ['emergency.request', EmergencyRequestArgs, EMERGENCY_REQUEST_SHAPE],
] as const

describe('zod-free arg readers (the first screen’s stores)', () => {
  it.each(PAIRS)('%s: the same fields as the zod schema, optional where it is', (_name, schema, shape) => {
    const fields = (schema as z.ZodObject).shape as Record<string, z.ZodType>
    expect(Object.keys(shape).sort()).toEqual(Object.keys(fields).sort())
    for (const [key, kind] of Object.entries(shape)) {
      expect({ key, optional: kind.endsWith('?') }).toEqual({ key, optional: fields[key]!.safeParse(undefined).success })
    }
  })

  const booking = { bookingId: 'b1', childId: 'c1', sessionId: 's1', quantity: 2 }
  it('reads what the schema accepts', () => {
    expect(BookingRequestArgs.safeParse(booking).success).toBe(true)
    expect(readBookingRequest(booking)).toEqual(booking)
    expect(readBookingRequest({ ...booking, note: 'allergia', expectedUnitPriceCents: 500 })).toMatchObject({ note: 'allergia' })
    const message = { messageId: 'm1', bookingId: 'b1', body: 'ciao' }
    expect(MessageSendArgs.safeParse(message).success).toBe(true)
    expect(readMessageSend(message)).toEqual(message)
    const emergency = { requestId: 'r1', childId: 'c1', startsAt: '2026-11-25T05:00:00Z', endsAt: '2026-11-25T09:00:00Z', territoryId: 't1' }
    expect(EmergencyRequestArgs.safeParse(emergency).success).toBe(true)
    expect(readEmergencyRequest(emergency)).toEqual(emergency)
  })

  it('refuses a missing field, a wrong type, a non-finite number and non-objects', () => {
    const { quantity: _q, ...noQuantity } = booking
    expect(readBookingRequest(noQuantity)).toBeNull()
    expect(readBookingRequest({ ...booking, quantity: '2' })).toBeNull()
    expect(readBookingRequest({ ...booking, quantity: Number.NaN })).toBeNull()
    expect(readBookingRequest({ ...booking, note: 42 })).toBeNull()
    expect(readMessageSend({ messageId: 'm1', bookingId: 'b1' })).toBeNull()
    expect(readEmergencyRequest({ requestId: 'r1', childId: 'c1', startsAt: 1, endsAt: 2 })).toBeNull()
    for (const bad of [null, undefined, 'x', 3, [booking]]) expect(readBookingRequest(bad)).toBeNull()
  })
})
