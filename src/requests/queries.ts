import { type LoadedCalendar, loadCalendar } from '../calendar/calendar.ts';
import type { Db } from '../store/store.ts';
import { type Clock, computeClock } from './clock.ts';
import { beijingDate, loadSettings, type RequestSettings } from './settings.ts';
import type { ReplyRow, RequestEventRow, RequestState } from './tables.ts';

/** Every column but the two personal ones, which only personalData.ts reads. */
export const requestColumns = [
  'id',
  'unit_id',
  'tracking_number',
  'query_code',
  'channel',
  'applicant_kind',
  'organisation_kind',
  'applicant_name',
  'organisation_code',
  'legal_representative',
  'contact_name',
  'id_type',
  'email',
  'address',
  'postal_code',
  'description',
  'document_number',
  'purpose',
  'delivery_form',
  'delivery_method',
  'submitted_at',
  'received_on',
  'state',
  'handling_unit_id',
  'handler_user_id',
  'outcome',
  'concluded_on',
  'fingerprint',
  'created_by',
  'created_at',
  'updated_at',
] as const;

export type RequestRecord = {
  [K in (typeof requestColumns)[number]]: import('./tables.ts').InfoRequestRow[K];
};

export interface RequestView {
  row: RequestRecord;
  unitName: string | null;
  handlingUnitName: string | null;
  events: RequestEventRow[];
  reply: ReplyRow | null;
  clock: Clock;
}

export interface RequestFilter {
  ids?: string[];
  unitIds?: string[];
  states?: RequestState[];
  trackingNumber?: string;
  handlerUserId?: string;
  /** Requests received on or after / on or before these days. */
  receivedFrom?: string;
  receivedTo?: string;
}

export async function requestViews(
  db: Db,
  filter: RequestFilter,
  now: Date,
  preloaded?: { cal: LoadedCalendar; settings: RequestSettings },
): Promise<RequestView[]> {
  let q = db
    .selectFrom('info_requests')
    .leftJoin('units', 'units.id', 'info_requests.unit_id')
    .leftJoin('units as handling_units', 'handling_units.id', 'info_requests.handling_unit_id')
    .select(requestColumns.map((c) => `info_requests.${c}` as const))
    .select(['units.name as unit_name', 'handling_units.name as handling_unit_name']);
  if (filter.ids) {
    if (!filter.ids.length) return [];
    q = q.where('info_requests.id', 'in', filter.ids);
  }
  if (filter.unitIds) {
    if (!filter.unitIds.length) return [];
    const unitIds = filter.unitIds;
    // addressed to one of the units, or assigned to one of them for handling (交办)
    q = q.where((eb) =>
      eb.or([
        eb('info_requests.unit_id', 'in', unitIds),
        eb('info_requests.handling_unit_id', 'in', unitIds),
      ]),
    );
  }
  if (filter.states?.length) q = q.where('info_requests.state', 'in', filter.states);
  if (filter.trackingNumber) q = q.where('info_requests.tracking_number', '=', filter.trackingNumber);
  if (filter.handlerUserId) q = q.where('info_requests.handler_user_id', '=', filter.handlerUserId);
  if (filter.receivedFrom) q = q.where('info_requests.received_on', '>=', filter.receivedFrom);
  if (filter.receivedTo) q = q.where('info_requests.received_on', '<=', filter.receivedTo);
  const rows = await q.orderBy('info_requests.received_on').orderBy('info_requests.id').execute();
  if (!rows.length) return [];
  const ids = rows.map((r) => r.id);
  const events: RequestEventRow[] = [];
  const replies: ReplyRow[] = [];
  // in chunks: a year of a large district can exceed the bound-parameter limits
  for (let i = 0; i < ids.length; i += 500) {
    const chunk = ids.slice(i, i + 500);
    events.push(
      ...(await db
        .selectFrom('info_request_events')
        .selectAll()
        .where('request_id', 'in', chunk)
        .orderBy('seq')
        .execute()),
    );
    replies.push(
      ...(await db.selectFrom('info_request_replies').selectAll().where('request_id', 'in', chunk).execute()),
    );
  }
  const byRequest = new Map<string, RequestEventRow[]>();
  for (const e of events) {
    const list = byRequest.get(e.request_id) ?? [];
    list.push(e);
    byRequest.set(e.request_id, list);
  }
  const replyBy = new Map(replies.map((r) => [r.request_id, r]));
  const cal = preloaded?.cal ?? (await loadCalendar(db));
  const settings = preloaded?.settings ?? (await loadSettings(db));
  const today = beijingDate(now);
  return rows.map(({ unit_name, handling_unit_name, ...row }) => {
    const evs = (byRequest.get(row.id) ?? []).sort((a, b) => a.seq - b.seq);
    return {
      row,
      unitName: unit_name,
      handlingUnitName: handling_unit_name,
      events: evs,
      reply: replyBy.get(row.id) ?? null,
      clock: computeClock(evs, cal, today, settings.clock),
    };
  });
}

const urgency: Record<Clock['status'], number> = {
  overdue: 0,
  dueSoon: 1,
  onTime: 2,
  paused: 3,
  awaitingSupplement: 4,
  answeredLate: 5,
  answered: 6,
  closed: 7,
};

/** Overdue first, then due soon, then by due date: what the office must act on stands out. */
export function byUrgency(a: RequestView, b: RequestView): number {
  return (
    urgency[a.clock.status] - urgency[b.clock.status] ||
    (a.clock.dueOn ?? '9999').localeCompare(b.clock.dueOn ?? '9999') ||
    a.row.tracking_number.localeCompare(b.row.tracking_number)
  );
}
