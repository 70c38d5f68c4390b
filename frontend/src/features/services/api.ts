// The calls of services, slots, bookings, calendar feeds, on-request services and reports, on the typed
// client generated from openapi.yaml. Every POST that creates or changes something carries an Idempotency-Key.
import { client } from '@/api/client'
import { unwrap, unwrapVersioned, type Complete, type Versioned } from '@/api'
import type { paths } from '@/api/schema'

type JsonOf<R> = R extends { content: { 'application/json': infer T } } ? T : never
type Ok<Op> = Op extends { responses: infer R } ? JsonOf<R[Extract<keyof R, 200 | 201>]> : never
type Body<Op> = Op extends { requestBody?: { content: { 'application/json': infer B } } } ? B : never
type Query<Op> = Op extends { parameters: { query?: infer Q } } ? NonNullable<Q> : never

// `anyOf [null object, X]` in the spec: the null branch comes out as an object type; keep only X.
type Nullable<T> = Exclude<T, Record<string, never>> | null

type RawService = Complete<Ok<paths['/services/{service_id}']['get']>>
export type Service = Omit<RawService, 'provider'> & { provider: Nullable<RawService['provider']> }
export type ServiceQuery = Query<paths['/services']['get']>
export type ServiceCategory = Service['category']
export type ServiceStatus = Service['status']
export type ServiceKind = Service['kind']
export type ServiceStep = Service['allowed_steps'][number]
export type ServiceCreate = Body<paths['/services']['post']>
export type ServicePatch = Body<paths['/services/{service_id}']['patch']>
export type Rule = NonNullable<ServiceCreate['rules']>[number]
export type RuleOut = Service['rules'][number]
export type ExceptionIn = Body<paths['/services/{service_id}/exceptions']['post']>
export type ServiceException = Complete<Ok<paths['/services/{service_id}/exceptions']['post']>>

type RawAvailability = Complete<Ok<paths['/services/{service_id}/slots']['get']>>
type RawSlotAvailability = RawAvailability['items'][number]
export type MyBookingBrief = Nullable<RawSlotAvailability['mine']>
export type SlotAvailability = Omit<RawSlotAvailability, 'mine'> & { mine: MyBookingBrief }
export type Availability = Omit<RawAvailability, 'items'> & { items: SlotAvailability[] }

export type Booking = Complete<Ok<paths['/bookings/{booking_id}']['get']>>
export type BookingStatus = Booking['status']
export type BookingQuery = Query<paths['/bookings']['get']>
export type Page<T> = { items: T[]; next_cursor: string | null }
export type Slot = Booking['slot']
export type Roster = Complete<Ok<paths['/service-slots/{slot_id}/roster']['get']>>
export type DayRoster = Complete<Ok<paths['/services/{service_id}/roster']['get']>>

export type Feed = Complete<Ok<paths['/calendar-feeds']['get']>>

export type ServiceRequest = Complete<Ok<paths['/service-requests/{request_id}']['get']>>
export type RequestStatus = ServiceRequest['status']
export type RequestCreate = Body<paths['/service-requests']['post']>
export type RequestQuery = Query<paths['/service-requests']['get']>
export type RequestEvent = Complete<Ok<paths['/service-requests/{request_id}/events']['get']>>['items'][number]
/** Steps staff or the provider take on a request (POST /service-requests/{id}/<step>). */
export type RequestStaffStep = 'accept' | 'schedule' | 'complete' | 'decline'

export type ReportRow = Complete<Ok<paths['/services/reports/daily']['get']>>['items'][number]
export type ReportQuery = Query<paths['/services/reports/daily']['get']>

export const SERVICE_CATEGORIES = ['lunch', 'haircut', 'legal', 'health', 'medicine', 'repair', 'other'] as const satisfies readonly ServiceCategory[]
export const SERVICE_STATUSES = ['draft', 'published', 'archived'] as const satisfies readonly ServiceStatus[]
export const REQUEST_STATUSES = ['submitted', 'accepted', 'scheduled', 'done', 'declined', 'cancelled'] as const satisfies readonly RequestStatus[]

const idem = (key: string) => ({ 'Idempotency-Key': key })

export const servicesApi = {
  services(query: ServiceQuery): Promise<Page<Service>> {
    return unwrap(client.GET('/services', { params: { query } })) as Promise<Page<Service>>
  },

  service(id: number): Promise<Versioned<Service>> {
    return unwrapVersioned(client.GET('/services/{service_id}', { params: { path: { service_id: id } } })) as Promise<Versioned<Service>>
  },

  createService(body: ServiceCreate, key: string): Promise<Versioned<Service>> {
    return unwrapVersioned(client.POST('/services', { params: { header: idem(key) }, body })) as Promise<Versioned<Service>>
  },

  /** `etag` from the last read: a colleague's change in between answers 412. */
  updateService(id: number, body: ServicePatch, etag: string): Promise<Versioned<Service>> {
    return unwrapVersioned(client.PATCH('/services/{service_id}', {
      params: { path: { service_id: id }, header: { 'If-Match': etag } }, body,
    })) as Promise<Versioned<Service>>
  },

  serviceStep(id: number, step: ServiceStep, key: string): Promise<Service> {
    const path = `/services/{service_id}/${step}` as '/services/{service_id}/publish'
    return unwrap(client.POST(path, { params: { path: { service_id: id }, header: idem(key) }, body: {} })) as Promise<Service>
  },

  rules(id: number): Promise<RuleOut[]> {
    return unwrap(client.GET('/services/{service_id}/rules', { params: { path: { service_id: id } } }))
      .then((r) => r.rules as RuleOut[])
  },

  putRules(id: number, rules: Rule[]): Promise<RuleOut[]> {
    return unwrap(client.PUT('/services/{service_id}/rules', { params: { path: { service_id: id } }, body: { rules } }))
      .then((r) => r.rules as RuleOut[])
  },

  exceptions(id: number): Promise<ServiceException[]> {
    return unwrap(client.GET('/services/{service_id}/exceptions', { params: { path: { service_id: id } } }))
      .then((r) => r.items as ServiceException[])
  },

  addException(id: number, body: ExceptionIn, key: string): Promise<ServiceException> {
    return unwrap(client.POST('/services/{service_id}/exceptions', {
      params: { path: { service_id: id }, header: idem(key) }, body,
    })) as Promise<ServiceException>
  },

  removeException(id: number, exceptionId: number): Promise<unknown> {
    return unwrap(client.DELETE('/services/{service_id}/exceptions/{exception_id}', {
      params: { path: { service_id: id, exception_id: exceptionId } },
    }))
  },

  /** The next 14 days (or since…until, the town's dates): seats left, full, and the viewer's own booking. */
  slots(id: number, range: { since?: string; until?: string } = {}): Promise<Availability> {
    return unwrap(client.GET('/services/{service_id}/slots', {
      params: { path: { service_id: id }, query: range },
    })) as Promise<Availability>
  },

  /** Books a seat, or (waitlist) joins the queue of a full slot. */
  book(slotId: number, key: string, waitlist = false): Promise<Booking> {
    return unwrap(client.POST('/bookings', {
      params: { header: idem(key) }, body: { slot_id: slotId, waitlist },
    })) as Promise<Booking>
  },

  bookings(query: BookingQuery): Promise<Page<Booking>> {
    return unwrap(client.GET('/bookings', { params: { query } })) as Promise<Page<Booking>>
  },

  booking(id: number): Promise<Booking> {
    return unwrap(client.GET('/bookings/{booking_id}', { params: { path: { booking_id: id } } })) as Promise<Booking>
  },

  cancelBooking(id: number, key: string, reason?: string): Promise<Booking> {
    return unwrap(client.POST('/bookings/{booking_id}/cancel', {
      params: { path: { booking_id: id }, header: idem(key) }, body: reason ? { reason } : {},
    })) as Promise<Booking>
  },

  checkIn(id: number, key: string): Promise<Booking> {
    return unwrap(client.POST('/bookings/{booking_id}/check-in', {
      params: { path: { booking_id: id }, header: idem(key) }, body: {},
    })) as Promise<Booking>
  },

  noShow(id: number, key: string): Promise<Booking> {
    return unwrap(client.POST('/bookings/{booking_id}/no-show', {
      params: { path: { booking_id: id }, header: idem(key) }, body: {},
    })) as Promise<Booking>
  },

  checkInByCode(code: string, key: string): Promise<Booking> {
    return unwrap(client.POST('/bookings/check-in', { params: { header: idem(key) }, body: { code } })) as Promise<Booking>
  },

  dayRoster(serviceId: number, day: string): Promise<Roster[]> {
    return unwrap(client.GET('/services/{service_id}/roster', {
      params: { path: { service_id: serviceId }, query: { day } },
    })).then((r) => r.items as Roster[])
  },

  closeSlot(slotId: number, reason: string, key: string): Promise<Slot> {
    return unwrap(client.POST('/service-slots/{slot_id}/close', {
      params: { path: { slot_id: slotId }, header: idem(key) }, body: { reason },
    })) as Promise<Slot>
  },

  reopenSlot(slotId: number): Promise<Slot> {
    return unwrap(client.PATCH('/service-slots/{slot_id}', {
      params: { path: { slot_id: slotId } }, body: { status: 'open' },
    })) as Promise<Slot>
  },

  feed(): Promise<Feed> {
    return unwrap(client.GET('/calendar-feeds')) as Promise<Feed>
  },

  /** A new private address (any earlier one stops working). */
  createFeed(): Promise<Feed> {
    return unwrap(client.POST('/calendar-feeds')) as Promise<Feed>
  },

  revokeFeed(): Promise<unknown> {
    return unwrap(client.DELETE('/calendar-feeds'))
  },

  requests(query: RequestQuery): Promise<Page<ServiceRequest>> {
    return unwrap(client.GET('/service-requests', { params: { query } })) as Promise<Page<ServiceRequest>>
  },

  request(id: number): Promise<ServiceRequest> {
    return unwrap(client.GET('/service-requests/{request_id}', { params: { path: { request_id: id } } })) as Promise<ServiceRequest>
  },

  createRequest(body: RequestCreate, key: string): Promise<ServiceRequest> {
    return unwrap(client.POST('/service-requests', { params: { header: idem(key) }, body })) as Promise<ServiceRequest>
  },

  requestEvents(id: number): Promise<RequestEvent[]> {
    return unwrap(client.GET('/service-requests/{request_id}/events', { params: { path: { request_id: id } } }))
      .then((r) => r.items as RequestEvent[])
  },

  comment(id: number, note: string, key: string): Promise<RequestEvent> {
    return unwrap(client.POST('/service-requests/{request_id}/comments', {
      params: { path: { request_id: id }, header: idem(key) }, body: { note },
    })) as Promise<RequestEvent>
  },

  rate(id: number, rating: number, comment: string | undefined, key: string): Promise<ServiceRequest> {
    return unwrap(client.POST('/service-requests/{request_id}/rate', {
      params: { path: { request_id: id }, header: idem(key) }, body: { rating, ...(comment ? { comment } : {}) },
    })) as Promise<ServiceRequest>
  },

  cancelRequest(id: number, key: string, note?: string): Promise<ServiceRequest> {
    return unwrap(client.POST('/service-requests/{request_id}/cancel', {
      params: { path: { request_id: id }, header: idem(key) }, body: note ? { note } : {},
    })) as Promise<ServiceRequest>
  },

  /** accept / complete (an optional note), decline (a note, required), schedule (a time and an optional note). */
  requestStep(id: number, step: RequestStaffStep, body: { note?: string; scheduled_at?: string }, key: string): Promise<ServiceRequest> {
    const path = `/service-requests/{request_id}/${step}` as '/service-requests/{request_id}/schedule'
    return unwrap(client.POST(path, {
      params: { path: { request_id: id }, header: idem(key) }, body: body as { scheduled_at: string },
    })) as Promise<ServiceRequest>
  },

  report(query: ReportQuery): Promise<ReportRow[]> {
    return unwrap(client.GET('/services/reports/daily', { params: { query } })).then((r) => r.items as ReportRow[])
  },
}
