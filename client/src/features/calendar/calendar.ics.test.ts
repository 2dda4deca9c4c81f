import ical, { type VEvent } from 'node-ical'
import { describe, expect, it } from 'vitest'
import { bookingIcs } from './calendar.ics.ts'

describe('a booking as an .ics file (made on the phone, offline too)', () => {
  it('is one event an iCalendar parser reads, with the feed’s uid', async () => {
    const text = await bookingIcs({ id: 'b1', childFirstName: 'Giulia', quantity: 2 }, { startsAt: '2030-03-04T08:00:00.000Z', endsAt: '2030-03-04T11:00:00.000Z' }, 'Spazio gioco', 'Crema', 'ALTANA')
    const events = Object.values(ical.sync.parseICS(text)).filter((c): c is VEvent => c?.type === 'VEVENT')
    expect(events).toHaveLength(1)
    expect(events[0]).toMatchObject({ uid: 'booking-b1@conciliapp', summary: 'Spazio gioco · Giulia', location: 'Crema' })
    expect(events[0]?.start.toISOString()).toBe('2030-03-04T08:00:00.000Z')
  })
})
