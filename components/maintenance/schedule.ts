/**
 * Schedule arithmetic for maintenance and backup timing (MNT-1, MNT-2, DB-2, BKP-2). Pure functions, no
 * Pulumi: parse RDS/ElastiCache windows, validate Kubernetes CronJob schedules, and report every overlap
 * between backup windows, maintenance windows and scheduled jobs by computing the actual run times.
 *
 * All times are UTC. Everything is projected onto one week (minute 0 = Monday 00:00 UTC, 10080 minutes):
 * daily windows occur seven times, weekly windows once, and a cron schedule contributes every start time
 * it can have in a week. Intervals are half-open, so a job ending at 03:00 does not overlap a window
 * starting at 03:00, and intervals wrap around midnight and around the end of the week.
 *
 * Kubernetes CronJobs must set `timeZone: "Etc/UTC"` for these computations to describe them (without it
 * the schedule follows the controller manager's time zone).
 */
// A production dependency: deploy runners install with `npm ci --omit=dev` (DEP-1, tests/protocol/dependencies.suite.ts).
import cronValidate from "cron-validate";
import { CronExpressionParser } from "cron-parser";

export const MINUTES_PER_DAY = 24 * 60;
export const MINUTES_PER_WEEK = 7 * MINUTES_PER_DAY;

/** RDS and ElastiCache reject windows shorter than 30 minutes (ElastiCache: 60 for maintenance). */
export const DEFAULT_MINIMUM_WINDOW_MINUTES = 30;

const DAY_NAMES = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"] as const;

/** A stretch of time on the weekly circle: starts at `start` (minute of the week), lasts `duration` minutes. */
export interface WeekInterval {
    start: number;
    duration: number;
}

/** A daily window "hh24:mi-hh24:mi" (RDS backup window, ElastiCache snapshot window). */
export interface DailyWindow {
    kind: "daily";
    text: string;
    /** Minute of the day the window opens. */
    startMinute: number;
    durationMinutes: number;
}

/** A weekly window "ddd:hh24:mi-ddd:hh24:mi" (RDS, ElastiCache and node-group maintenance windows). */
export interface WeeklyWindow {
    kind: "weekly";
    text: string;
    /** Minute of the week the window opens (0 = Monday 00:00 UTC). */
    startMinute: number;
    durationMinutes: number;
}

export type TimeWindow = DailyWindow | WeeklyWindow;

export interface NamedWindow {
    name: string;
    window: string;
}

export interface ScheduledJob {
    /** Job name used in messages (the CronJob's name). */
    name: string;
    /** Five-field cron schedule of the Kubernetes CronJob, evaluated in UTC. */
    schedule: string;
    /** How long one run may take, including a margin (its activeDeadlineSeconds is a good value). */
    durationMinutes: number;
}

export interface ScheduleInput {
    /** The database backup window, daily "hh24:mi-hh24:mi" (reported as "backup window"). */
    backupWindow?: string;
    /** Further daily backup/snapshot windows, e.g. the ElastiCache snapshot window. */
    backupWindows?: NamedWindow[];
    /** Weekly maintenance windows "ddd:hh24:mi-ddd:hh24:mi" (RDS, ElastiCache, node groups). */
    maintenanceWindows?: NamedWindow[];
    /** Scheduled jobs (database maintenance, logical backup, restore check). */
    jobs?: ScheduledJob[];
}

function minuteOfDay(hours: string, minutes: string): number {
    return Number(hours) * 60 + Number(minutes);
}

function checkDuration(text: string, duration: number, minimumMinutes: number, limit: number): void {
    if (duration === 0) throw new Error(`window "${text}" starts and ends at the same time`);
    if (duration < minimumMinutes) {
        throw new Error(`window "${text}" lasts ${duration} minutes; at least ${minimumMinutes} are required`);
    }
    if (duration >= limit) throw new Error(`window "${text}" is too long`);
}

/** Parses a daily UTC window "hh24:mi-hh24:mi"; it may wrap midnight ("23:30-00:30"). Throws on bad input. */
export function parseDailyWindow(text: string, minimumMinutes = DEFAULT_MINIMUM_WINDOW_MINUTES): DailyWindow {
    const match = /^([01]\d|2[0-3]):([0-5]\d)-([01]\d|2[0-3]):([0-5]\d)$/.exec(text.trim());
    if (!match) throw new Error(`window "${text}" is not a daily window of the form hh24:mi-hh24:mi (UTC), e.g. 03:00-03:30`);
    const start = minuteOfDay(match[1], match[2]);
    const end = minuteOfDay(match[3], match[4]);
    const duration = (end - start + MINUTES_PER_DAY) % MINUTES_PER_DAY;
    checkDuration(text, duration, minimumMinutes, MINUTES_PER_DAY);
    return { kind: "daily", text: text.trim(), startMinute: start, durationMinutes: duration };
}

/** Parses a weekly UTC window "ddd:hh24:mi-ddd:hh24:mi" (days mon..sun, any case); it may wrap the week. */
export function parseWeeklyWindow(text: string, minimumMinutes = DEFAULT_MINIMUM_WINDOW_MINUTES): WeeklyWindow {
    const day = "(mon|tue|wed|thu|fri|sat|sun)";
    const time = "([01]\\d|2[0-3]):([0-5]\\d)";
    const match = new RegExp(`^${day}:${time}-${day}:${time}$`, "i").exec(text.trim());
    if (!match) {
        throw new Error(
            `window "${text}" is not a weekly window of the form ddd:hh24:mi-ddd:hh24:mi (UTC), e.g. sun:04:00-sun:05:00`,
        );
    }
    const dayIndex = (name: string) => DAY_NAMES.indexOf(name.toLowerCase() as (typeof DAY_NAMES)[number]);
    const start = dayIndex(match[1]) * MINUTES_PER_DAY + minuteOfDay(match[2], match[3]);
    const end = dayIndex(match[4]) * MINUTES_PER_DAY + minuteOfDay(match[5], match[6]);
    const duration = (end - start + MINUTES_PER_WEEK) % MINUTES_PER_WEEK;
    checkDuration(text, duration, minimumMinutes, MINUTES_PER_WEEK);
    return { kind: "weekly", text: text.trim(), startMinute: start, durationMinutes: duration };
}

/** Every occurrence of a window in the week. */
export function windowIntervals(window: TimeWindow): WeekInterval[] {
    if (window.kind === "weekly") return [{ start: window.startMinute, duration: window.durationMinutes }];
    return DAY_NAMES.map((_, day) => ({ start: day * MINUTES_PER_DAY + window.startMinute, duration: window.durationMinutes }));
}

/**
 * The cron dialect of Kubernetes CronJobs (robfig/cron standard parser): five fields, minute 0-59,
 * hour 0-23, day of month 1-31, month 1-12 or JAN-DEC, day of week 0-6 or SUN-SAT; lists, ranges, steps.
 */
const KUBERNETES_CRON_PRESET = {
    presetId: "bookbuddy-kubernetes-cronjob",
    useSeconds: false,
    useYears: false,
    useAliases: true,
    useBlankDay: false,
    allowOnlyOneBlankDayField: false,
    allowStepping: true,
    mustHaveBlankDayField: false,
    useLastDayOfMonth: false,
    useLastDayOfWeek: false,
    useNearestWeekday: false,
    useNthWeekdayOfMonth: false,
    seconds: { minValue: 0, maxValue: 59 },
    minutes: { minValue: 0, maxValue: 59 },
    hours: { minValue: 0, maxValue: 23 },
    daysOfMonth: { minValue: 1, maxValue: 31 },
    months: { minValue: 1, maxValue: 12 },
    daysOfWeek: { minValue: 0, maxValue: 6 },
    years: { minValue: 1970, maxValue: 2099 },
};

/** Validates a five-field CronJob schedule; returns the error text, or undefined when it is valid. */
export function validateCronSchedule(expression: string): string | undefined {
    const result = cronValidate(expression, { preset: KUBERNETES_CRON_PRESET });
    if (result.isError()) {
        const details = result.getError().map((message) => message.replace(/\s*\(Input cron: '.*'\)$/, ""));
        return `invalid cron schedule "${expression}": ${details.join("; ")}`;
    }
    try {
        CronExpressionParser.parse(expression, { tz: "UTC", strict: false });
    } catch (error) {
        return `invalid cron schedule "${expression}": ${(error as Error).message}`;
    }
    return undefined;
}

/** A Monday, start of the reference week. */
const REFERENCE_MONDAY = Date.UTC(2024, 0, 1);
const MAX_ENUMERATED_RUNS = MINUTES_PER_WEEK;

function minuteOfWeek(date: Date): number {
    return ((date.getUTCDay() + 6) % 7) * MINUTES_PER_DAY + date.getUTCHours() * 60 + date.getUTCMinutes();
}

/**
 * Every minute of the week (0 = Monday 00:00 UTC) at which the schedule can start a run, computed with
 * cron-parser over a reference week. A schedule bound to days of the month (monthly REINDEX, "0 4 1 * *")
 * fires on whatever weekday that date falls on, which over the years is every weekday, so its days of
 * month and months are widened to every day before the week is enumerated: the result is each start
 * time the job can ever have within a week. (When both day fields are restricted, cron runs on either,
 * which likewise reaches every weekday.) Throws on an invalid or never-firing schedule.
 */
export function cronRunsInWeek(expression: string): number[] {
    const invalid = validateCronSchedule(expression);
    if (invalid) throw new Error(invalid);
    const probe = CronExpressionParser.parse(expression, { tz: "UTC" });
    const [minute, hour, , , dayOfWeek] = expression.trim().split(/\s+/);
    const weekly = `${minute} ${hour} * * ${probe.fields.dayOfMonth.isWildcard ? dayOfWeek : "*"}`;
    const runs = CronExpressionParser.parse(weekly, {
        tz: "UTC",
        currentDate: new Date(REFERENCE_MONDAY - 60_000),
        endDate: new Date(REFERENCE_MONDAY + MINUTES_PER_WEEK * 60_000 - 1),
    });
    const starts = new Set<number>();
    for (let count = 0; runs.hasNext() && count < MAX_ENUMERATED_RUNS; count++) {
        starts.add(minuteOfWeek(runs.next().toDate()));
    }
    if (starts.size === 0) throw new Error(`cron schedule "${expression}" never fires`);
    return [...starts].sort((a, b) => a - b);
}

/** The overlap of two intervals on the weekly circle, or undefined when they only touch or are apart. */
export function overlapOf(a: WeekInterval, b: WeekInterval): WeekInterval | undefined {
    const bAfterA = (((b.start - a.start) % MINUTES_PER_WEEK) + MINUTES_PER_WEEK) % MINUTES_PER_WEEK;
    const aAfterB = (((a.start - b.start) % MINUTES_PER_WEEK) + MINUTES_PER_WEEK) % MINUTES_PER_WEEK;
    if (bAfterA < a.duration) return { start: b.start, duration: Math.min(a.duration - bAfterA, b.duration) };
    if (aAfterB < b.duration) return { start: a.start, duration: Math.min(b.duration - aAfterB, a.duration) };
    return undefined;
}

/** "Sun 03:00" for a minute of the week. */
export function formatMinuteOfWeek(minute: number): string {
    const m = ((minute % MINUTES_PER_WEEK) + MINUTES_PER_WEEK) % MINUTES_PER_WEEK;
    const day = DAY_NAMES[Math.floor(m / MINUTES_PER_DAY)];
    const hh = String(Math.floor((m % MINUTES_PER_DAY) / 60)).padStart(2, "0");
    const mm = String(m % 60).padStart(2, "0");
    return `${day[0].toUpperCase()}${day.slice(1)} ${hh}:${mm}`;
}

/** "Sun 23:30-Mon 00:30 UTC" for an interval. */
export function formatInterval(interval: WeekInterval): string {
    return `${formatMinuteOfWeek(interval.start)}-${formatMinuteOfWeek(interval.start + interval.duration)} UTC`;
}

/** Describes the first overlap between two windows, or undefined when they do not overlap (DB-2, MNT-2). */
export function windowConflict(
    a: { label: string; window: TimeWindow },
    b: { label: string; window: TimeWindow },
): string | undefined {
    for (const x of windowIntervals(a.window)) {
        for (const y of windowIntervals(b.window)) {
            const overlap = overlapOf(x, y);
            if (overlap)
                return `${a.label} (${describeWindow(a.window)}) overlaps ${b.label} (${describeWindow(b.window)}) on ${formatInterval(overlap)}`;
        }
    }
    return undefined;
}

function describeWindow(window: TimeWindow): string {
    return window.kind === "daily" ? `${window.text} UTC daily` : `${window.text} UTC weekly`;
}

interface Occupant {
    label: string;
    description: string;
    intervals: WeekInterval[];
    kind: "window" | "job";
}

/**
 * Every timing conflict (MNT-1, MNT-2, DB-2) as human-readable sentences; empty when none:
 * invalid windows or schedules, backup windows overlapping maintenance windows, jobs overlapping a backup
 * or maintenance window, and jobs overlapping each other. One sentence per conflicting pair, naming the
 * first overlap in the week and how many runs of a job are affected.
 */
export function findScheduleConflicts(input: ScheduleInput): string[] {
    const problems: string[] = [];
    const backups: Occupant[] = [];
    const maintenance: Occupant[] = [];
    const jobs: Occupant[] = [];

    const backupInputs: NamedWindow[] = [
        ...(input.backupWindow !== undefined ? [{ name: "", window: input.backupWindow }] : []),
        ...(input.backupWindows ?? []),
    ];
    for (const { name, window } of backupInputs) {
        const label = name ? `backup window "${name}"` : "backup window";
        try {
            const parsed = parseDailyWindow(window);
            backups.push({ label, description: describeWindow(parsed), intervals: windowIntervals(parsed), kind: "window" });
        } catch (error) {
            problems.push(`${label}: ${(error as Error).message}`);
        }
    }
    for (const { name, window } of input.maintenanceWindows ?? []) {
        const label = `maintenance window "${name}"`;
        try {
            const parsed = parseWeeklyWindow(window);
            maintenance.push({ label, description: describeWindow(parsed), intervals: windowIntervals(parsed), kind: "window" });
        } catch (error) {
            problems.push(`${label}: ${(error as Error).message}`);
        }
    }
    for (const job of input.jobs ?? []) {
        const label = `job "${job.name}"`;
        if (!Number.isInteger(job.durationMinutes) || job.durationMinutes <= 0 || job.durationMinutes >= MINUTES_PER_WEEK) {
            problems.push(`${label}: durationMinutes must be a whole number of minutes between 1 and ${MINUTES_PER_WEEK - 1}`);
            continue;
        }
        try {
            const starts = cronRunsInWeek(job.schedule);
            jobs.push({
                label,
                description: `schedule "${job.schedule}" UTC, ${job.durationMinutes} min per run`,
                intervals: starts.map((start) => ({ start, duration: job.durationMinutes })),
                kind: "job",
            });
        } catch (error) {
            problems.push(`${label}: ${(error as Error).message}`);
        }
    }

    const compare = (a: Occupant, b: Occupant): void => {
        let first: WeekInterval | undefined;
        const affected = new Set<number>();
        a.intervals.forEach((x, i) => {
            for (const y of b.intervals) {
                const overlap = overlapOf(x, y);
                if (overlap) {
                    if (!first || overlap.start < first.start) first = overlap;
                    affected.add(i);
                }
            }
        });
        if (!first) return;
        const runs = a.kind === "job" ? `; ${affected.size} of ${a.intervals.length} weekly start times affected` : "";
        problems.push(
            `${a.label} (${a.description}) overlaps ${b.label} (${b.description}): first on ${formatInterval(first)}${runs}`,
        );
    };

    for (const backup of backups) for (const window of maintenance) compare(backup, window);
    for (const job of jobs) for (const window of [...backups, ...maintenance]) compare(job, window);
    for (let i = 0; i < jobs.length; i++) for (let j = i + 1; j < jobs.length; j++) compare(jobs[i], jobs[j]);
    return problems;
}
