import { chineseDate, type LoadedCalendar, rangeClauses } from '../calendar/calendar.ts';
import type { RequestEventRow } from './tables.ts';

/**
 * The statutory clock of a request, derived from its events every time it is read (never stored, so a changed
 * calendar or a corrected event moves it at once). The periods are the 条例's; a region may configure them.
 */
export interface ClockSettings {
  /** Art. 33 ¶2: reply within 20 working days of receipt. */
  replyDays: number;
  /** Art. 30: the 补正 notice goes out within 7 working days of receipt. */
  supplementNoticeDays: number;
  /** Art. 33 ¶2: an extension adds at most 20 working days. */
  maxExtensionDays: number;
  /** Art. 32: the third party answers within 15 working days. */
  consultationDays: number;
  /** A request this many working days (or fewer) before its due date is "due soon". */
  dueSoonDays: number;
}

export const defaultClockSettings: ClockSettings = {
  replyDays: 20,
  supplementNoticeDays: 7,
  maxExtensionDays: 20,
  consultationDays: 15,
  dueSoonDays: 5,
};

export type ClockStatus =
  | 'onTime'
  | 'dueSoon'
  | 'overdue'
  | 'paused'
  | 'awaitingSupplement'
  | 'answered'
  | 'answeredLate'
  | 'closed';

export const clockStatusNames: Record<ClockStatus, string> = {
  onTime: '办理中',
  dueSoon: '即将到期',
  overdue: '已超期',
  paused: '期限中止',
  awaitingSupplement: '待补正（期限中止）',
  answered: '已按期答复',
  answeredLate: '超期答复',
  closed: '已办结',
};

export interface ClockPause {
  kind: 'consultation' | 'fee';
  from: string;
  /** null: still running (counted up to today). */
  to: string | null;
  days: number;
  target: string | null;
  /** Consultation: the day the third party or agency should answer by (Art. 32, 34). */
  answerBy: string | null;
  /** Working days the consultation ran past answerBy: they count towards the reply period. */
  overrunDays: number;
}

export interface Clock {
  receivedOn: string;
  /** The day the reply period runs from: receipt, or the receipt of the supplement (Art. 30). */
  startOn: string | null;
  supplementNoticeBy: string;
  supplement: { requestedOn: string; deadline: string | null; receivedOn: string | null } | null;
  pauses: ClockPause[];
  extensionDays: number;
  /** Working days from startOn to dueOn: replyDays + paused days + extension. */
  totalDays: number | null;
  /** Last day to reply (inclusive); null while waiting for a supplement, when the period has not begun. */
  dueOn: string | null;
  /**
   * While a consultation runs: the due date if the consulted party takes its full 15 working days (Art. 32, 34),
   * the latest the reply can be due. Null otherwise.
   */
  latestDueOn: string | null;
  repliedOn: string | null;
  status: ClockStatus;
  /** Working days left until dueOn (negative: overdue by that many). */
  workingDaysLeft: number | null;
  explanation: string;
  /** The same, for the public tracking page: the consulted party is not named (it may be a person, Art. 15). */
  publicExplanation: string;
  /** Years the period crosses whose official calendar is not loaded (weekends-only fallback). */
  calendarWarnings: number[];
}

const cd = chineseDate;

/** The later of two YYYY-MM-DD days (they compare as text). */
const laterDay = (a: string, b: string) => (a.localeCompare(b) >= 0 ? a : b);

export function computeClock(
  events: readonly RequestEventRow[],
  cal: LoadedCalendar,
  today: string,
  settings: ClockSettings = defaultClockSettings,
): Clock {
  const sorted = [...events].sort((a, b) => a.seq - b.seq);
  const received = sorted.find((e) => e.kind === 'received');
  if (!received) throw new Error('a request without its received event');
  const receivedOn = received.on_date;
  const parts: string[] = [`${cd(receivedOn)}收到申请`];

  let startOn: string | null = receivedOn;
  let supplement: Clock['supplement'] = null;
  let pauses: ClockPause[] = [];
  let extensionDays = 0;
  let repliedOn: string | null = null;
  let closedOn: string | null = null;
  let openPause: ClockPause | null = null;

  for (const e of sorted) {
    switch (e.kind) {
      case 'supplementRequested':
        // Art. 30: the clock stops; nothing counted before counts again.
        supplement = { requestedOn: e.on_date, deadline: e.ref_date, receivedOn: null };
        startOn = null;
        pauses = [];
        extensionDays = 0;
        break;
      case 'supplementReceived':
        // Art. 30: "答复期限自行政机关收到补正的申请之日起计算" — a fresh 20 working days from this day.
        if (supplement) supplement.receivedOn = e.on_date;
        startOn = e.on_date;
        break;
      case 'consultationStarted':
      case 'feeNoticed':
        openPause = {
          kind: e.kind === 'feeNoticed' ? 'fee' : 'consultation',
          from: e.on_date,
          to: null,
          days: 0,
          target: e.target,
          answerBy: e.kind === 'consultationStarted' ? e.ref_date : null,
          overrunDays: 0,
        };
        pauses.push(openPause);
        break;
      case 'consultationEnded':
      case 'feePaid':
        if (openPause) openPause.to = e.on_date;
        openPause = null;
        break;
      case 'extended':
        extensionDays += e.days ?? 0;
        break;
      case 'replied':
        repliedOn ??= e.on_date;
        break;
      case 'abandoned':
      case 'withdrawn':
      case 'feeUnpaid':
      case 'closed':
        closedOn ??= e.on_date;
        break;
      default:
        break;
    }
  }

  // Art. 33 ¶3: time spent consulting third parties or other agencies is not counted. The day the letter goes
  // out still counts; the working days after it, up to and including the day the answer arrives, do not.
  // The time "needed" is at most the 15 working days Art. 32 and 34 give the consulted party: past its answer
  // date the agency decides without the opinion (Art. 32) or takes silence as consent (Art. 34), so working
  // days beyond it count again.
  const pauseEnd = repliedOn ?? closedOn ?? today;
  for (const p of pauses) {
    const end = p.to ?? laterDay(pauseEnd, p.from);
    const capped = p.answerBy && end > p.answerBy ? laterDay(p.answerBy, p.from) : end;
    p.days = cal.countWorkingDays(p.from, capped);
    p.overrunDays = cal.countWorkingDays(capped, end);
  }
  const pausedDays = pauses.reduce((s, p) => s + p.days, 0);
  // an open consultation whose answer date has passed no longer stops the clock
  const pauseRunning = !!openPause && !(openPause.answerBy && today > openPause.answerBy);
  const supplementNoticeBy = cal.addWorkingDays(receivedOn, settings.supplementNoticeDays);

  if (supplement) {
    parts.push(`${cd(supplement.requestedOn)}发出补正通知，答复期限中止（条例第三十条）`);
    if (supplement.receivedOn)
      parts.push(`${cd(supplement.receivedOn)}收到补正材料，答复期限自该日起重新计算`);
    else if (supplement.deadline)
      parts.push(`申请人应于${cd(supplement.deadline)}前补正，逾期无正当理由不补正的视为放弃申请`);
  }
  for (const p of pauses) {
    const what = p.kind === 'consultation' ? `征求${p.target ?? '第三方'}意见` : '等待缴纳信息处理费';
    const law = p.kind === 'consultation' ? '条例第三十三条第三款' : '国办函〔2020〕109号';
    const overrun = p.overrunDays
      ? `；被征求意见方应于${cd(p.answerBy ?? p.from)}前提出意见，逾期的${p.overrunDays}个工作日计入答复期限（条例第三十二条、第三十四条）`
      : '';
    if (p.to)
      parts.push(
        `${cd(p.from)}至${cd(p.to)}${what}，${p.overrunDays ? '其中' : ''}${p.days}个工作日不计入答复期限（${law}）${overrun}`,
      );
    else if (p.overrunDays)
      parts.push(
        `${cd(p.from)}起${what}，${p.days}个工作日不计入答复期限（${law}）${overrun}，由本机关依法作出答复`,
      );
    else
      parts.push(
        `${cd(p.from)}起${what}${p.answerBy ? `（应于${cd(p.answerBy)}前答复，条例第三十二条）` : ''}，期间不计入答复期限（${law}）`,
      );
  }
  if (extensionDays)
    parts.push(`经政府信息公开工作机构负责人同意延期${extensionDays}个工作日（条例第三十三条第二款）`);

  let dueOn: string | null = null;
  let latestDueOn: string | null = null;
  let totalDays: number | null = null;
  let calendarWarnings: number[] = [];
  if (startOn) {
    totalDays = settings.replyDays + pausedDays + extensionDays;
    dueOn = cal.addWorkingDays(startOn, totalDays);
    const range = cal.describeRange(startOn, dueOn);
    calendarWarnings = range.uncoveredYears;
    const sum = [`${settings.replyDays}个工作日`];
    if (pausedDays) sum.push(`不计入的${pausedDays}个工作日`);
    if (extensionDays) sum.push(`延期${extensionDays}个工作日`);
    const clauses = rangeClauses(range);
    parts.push(
      `自${cd(startOn)}（不含当日）起算${sum.join('加')}${clauses.length ? `（${clauses.join('；')}）` : ''}，应于${cd(dueOn)}前答复`,
    );
  }

  let status: ClockStatus;
  let workingDaysLeft: number | null = null;
  if (repliedOn) {
    status = dueOn && repliedOn > dueOn ? 'answeredLate' : 'answered';
    parts.push(`${cd(repliedOn)}作出答复${status === 'answeredLate' ? '（超过法定期限）' : ''}`);
  } else if (closedOn) {
    status = 'closed';
  } else if (!startOn) {
    status = 'awaitingSupplement';
  } else if (openPause && pauseRunning) {
    status = 'paused';
    if (startOn && openPause.answerBy && openPause.answerBy > today) {
      // the latest the reply can be due: the consulted party uses all of its time
      latestDueOn = cal.addWorkingDays(dueOn ?? startOn, cal.countWorkingDays(today, openPause.answerBy));
      parts.push(
        `目前期限中止，上述答复日期按今日结束征求意见计算，结束后顺延；如至${cd(openPause.answerBy)}方收到意见，最迟应于${cd(latestDueOn)}前答复`,
      );
    } else parts.push('目前期限中止，上述答复日期按今日结束征求意见计算，结束后顺延');
  } else if (dueOn) {
    workingDaysLeft = cal.countWorkingDays(today, dueOn);
    if (today > dueOn) {
      status = 'overdue';
      parts.push(`已超过答复期限${-workingDaysLeft}个工作日`);
    } else if (workingDaysLeft <= settings.dueSoonDays) {
      status = 'dueSoon';
      parts.push(`剩余${workingDaysLeft}个工作日`);
    } else status = 'onTime';
  } else status = 'onTime';
  if (startOn && !pauseRunning && !repliedOn && !closedOn && dueOn)
    workingDaysLeft = cal.countWorkingDays(today, dueOn);

  return {
    receivedOn,
    startOn,
    supplementNoticeBy,
    supplement,
    pauses,
    extensionDays,
    totalDays,
    dueOn,
    latestDueOn,
    repliedOn,
    status,
    workingDaysLeft,
    explanation: parts.join('；'),
    publicExplanation: pauses.reduce(
      (text, p) =>
        p.kind === 'consultation' && p.target
          ? text.replaceAll(`征求${p.target}意见`, '征求第三方或其他机关意见')
          : text,
      parts.join('；'),
    ),
    calendarWarnings,
  };
}
