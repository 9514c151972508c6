/**
 * AWS maintenance and backup windows as minute ranges of the week (DB-2, CACHE-1, MNT-2), so that the
 * configuration can prove that a backup (or snapshot) window never overlaps a maintenance window.
 *
 * AWS writes a daily window as `hh:mm-hh:mm` (UTC, RDS backupWindow, ElastiCache snapshotWindow) and a
 * weekly one as `ddd:hh:mm-ddd:hh:mm` (RDS and ElastiCache maintenanceWindow). Both may wrap around
 * midnight (or the end of the week).
 */

const DAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"] as const;
const WEEK = 7 * 24 * 60;

/** A half-open range [start, end) of minutes since Monday 00:00 UTC; `end` may exceed a week when it wraps. */
export interface MinuteRange {
    start: number;
    end: number;
}

const DAILY = /^([01]\d|2[0-3]):([0-5]\d)-([01]\d|2[0-3]):([0-5]\d)$/;
const WEEKLY =
    /^(mon|tue|wed|thu|fri|sat|sun):([01]\d|2[0-3]):([0-5]\d)-(mon|tue|wed|thu|fri|sat|sun):([01]\d|2[0-3]):([0-5]\d)$/;

/** Pattern text for the schema's error messages. */
export const DAILY_WINDOW_TEXT = 'a daily UTC window "hh:mm-hh:mm", e.g. "03:00-04:00"';
export const WEEKLY_WINDOW_TEXT = 'a weekly UTC window "ddd:hh:mm-ddd:hh:mm", e.g. "sun:05:00-sun:06:00"';
export const DAILY_WINDOW_PATTERN = DAILY;
export const WEEKLY_WINDOW_PATTERN = WEEKLY;

/** Length of a daily window in minutes (wrapping past midnight). */
export function dailyWindowMinutes(window: string): number {
    const m = DAILY.exec(window);
    if (!m) throw new Error(`not ${DAILY_WINDOW_TEXT}: ${window}`);
    const start = Number(m[1]) * 60 + Number(m[2]);
    const end = Number(m[3]) * 60 + Number(m[4]);
    return (end - start + 24 * 60) % (24 * 60);
}

/** Length of a weekly window in minutes (wrapping past Sunday midnight). */
export function weeklyWindowMinutes(window: string): number {
    const [range] = weeklyRanges(window);
    return range.end - range.start;
}

/** The seven weekly occurrences of a daily window. */
export function dailyRanges(window: string): MinuteRange[] {
    const length = dailyWindowMinutes(window);
    const m = DAILY.exec(window)!;
    const start = Number(m[1]) * 60 + Number(m[2]);
    return DAYS.map((_, day) => ({ start: day * 24 * 60 + start, end: day * 24 * 60 + start + length }));
}

/** The one weekly occurrence of a weekly window. */
export function weeklyRanges(window: string): MinuteRange[] {
    const m = WEEKLY.exec(window);
    if (!m) throw new Error(`not ${WEEKLY_WINDOW_TEXT}: ${window}`);
    const at = (day: string, h: string, min: string) =>
        DAYS.indexOf(day as (typeof DAYS)[number]) * 24 * 60 + Number(h) * 60 + Number(min);
    const start = at(m[1], m[2], m[3]);
    const end = at(m[4], m[5], m[6]);
    return [{ start, end: start + ((end - start + WEEK) % WEEK) }];
}

/** True when two sets of ranges share at least one minute, wrapping at the end of the week. */
export function rangesOverlap(a: MinuteRange[], b: MinuteRange[]): boolean {
    const shifted = (r: MinuteRange): MinuteRange[] => [
        r,
        { start: r.start + WEEK, end: r.end + WEEK },
        { start: r.start - WEEK, end: r.end - WEEK },
    ];
    return a.some((x) => b.some((y) => shifted(y).some((z) => x.start < z.end && z.start < x.end)));
}

/** True when a daily window (backup, snapshot) overlaps a weekly maintenance window. */
export function windowsOverlap(dailyWindow: string, weeklyWindow: string): boolean {
    return rangesOverlap(dailyRanges(dailyWindow), weeklyRanges(weeklyWindow));
}
