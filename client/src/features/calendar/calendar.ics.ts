/**
 * One booking as an .ics file, made on the phone (offline too): ical-generator is loaded only when a
 * parent asks for it, so it costs nothing on the first screen.
 */
import type { Booking, Session } from '../../../../shared/index.ts'

export async function bookingIcs(b: Pick<Booking, 'id' | 'childFirstName' | 'quantity'>, session: Pick<Session, 'startsAt' | 'endsAt'>, what: string, where: string, provider: string): Promise<string> {
  const { default: ical } = await import('ical-generator')
  const cal = ical({ name: 'Conciliapp', prodId: { company: 'Conciliapp', product: 'booking', language: 'IT' } })
  cal.createEvent({
    id: `booking-${b.id}@conciliapp`, // the feed's own uid: a calendar that has both keeps one event
    start: new Date(session.startsAt),
    end: new Date(session.endsAt),
    summary: `${what} · ${b.childFirstName}`,
    description: `${b.childFirstName}: ${b.quantity} × ${what}\n${provider}`,
    location: where,
  })
  return cal.toString()
}

/** Hands the text to the browser as a file to save or open. */
export function download(name: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'text/calendar' }))
  const a = document.createElement('a')
  a.href = url
  a.download = name
  a.click()
  setTimeout(() => URL.revokeObjectURL(url), 1000)
}
