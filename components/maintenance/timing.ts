/**
 * When the database jobs run and what they must stay clear of (BKP-2, MNT-1, MNT-2). Pure functions over
 * components/maintenance/schedule.ts, shared by the DatabaseJobs component, the stack configuration check
 * (infra/config/index.ts) and the tests, so the same computation guards all three.
 */
import { awsCronToFiveField } from "../backup/schedule";
import {
    cronRunsInWeek,
    findScheduleConflicts,
    formatMinuteOfWeek,
    MINUTES_PER_DAY,
    MINUTES_PER_WEEK,
    ScheduledJob,
} from "./schedule";

/** The CronJobs of DatabaseJobs, by Kubernetes name, with the configuration key that times each one. */
export const DATABASE_JOBS = {
    "pg-dump": "pgDump",
    "restore-check": "restoreCheck",
    "vacuum-analyze": "vacuumAnalyze",
    analyze: "analyze",
    reindex: "reindex",
    "slow-query-report": "slowQueryReport",
} as const;

export type DatabaseJobName = keyof typeof DATABASE_JOBS;
export const DATABASE_JOB_NAMES = Object.keys(DATABASE_JOBS) as DatabaseJobName[];

/** When one job starts and how long it may run. */
export interface JobTiming {
    /** Five-field cron schedule, UTC (the CronJob sets timeZone Etc/UTC) (MNT-1). */
    schedule: string;
    /** The job's activeDeadlineSeconds in minutes: Kubernetes stops it after this long (MNT-1, MNT-2). */
    durationMinutes: number;
}

export type JobTimings = Record<DatabaseJobName, JobTiming>;

/** The windows the jobs must not overlap, each named by its configuration key for clear messages (MNT-2). */
export interface TimingWindows {
    /** RDS automated-backup window, daily `hh:mm-hh:mm` (DB-2). */
    databaseBackupWindow: { key: string; window: string };
    /** Other daily backup or snapshot windows (ElastiCache snapshots) (CACHE-1). */
    backupWindows?: { key: string; window: string }[];
    /** Weekly maintenance windows (RDS, ElastiCache, node groups) (MNT-2). */
    maintenanceWindows: { key: string; window: string }[];
    /** AWS Backup rules touching the database: an AWS cron schedule and the start window they occupy (BKP-1). */
    awsBackupRules?: { key: string; schedule: string; startWindowMinutes: number }[];
}

/**
 * Minutes of the week one run can occupy: a CronJob may start up to startingDeadlineSeconds late, then runs
 * at most activeDeadlineSeconds (MNT-2). Counting both makes the overlap proof hold for every run Kubernetes
 * lets happen, not only the punctual ones.
 */
export function occupiedMinutes(timing: JobTiming, startingDeadlineSeconds: number): number {
    return timing.durationMinutes + Math.ceil(startingDeadlineSeconds / 60);
}

/** The jobs as components/maintenance/schedule.ts takes them, named `<prefix><configuration key>`. */
export function scheduledJobs(timings: JobTimings, startingDeadlineSeconds: number, prefix = "databaseJobs."): ScheduledJob[] {
    return DATABASE_JOB_NAMES.map((job) => ({
        name: `${prefix}${DATABASE_JOBS[job]}`,
        schedule: timings[job].schedule,
        durationMinutes: occupiedMinutes(timings[job], startingDeadlineSeconds),
    }));
}

/**
 * Every conflict between the database jobs, the AWS Backup start windows, the backup windows and the
 * maintenance windows, one sentence each naming the configuration keys involved; empty when none (MNT-1,
 * MNT-2). Also reports a restore check that does not follow the day's dump.
 */
export function databaseJobConflicts(
    timings: JobTimings,
    startingDeadlineSeconds: number,
    windows: TimingWindows,
    prefix = "databaseJobs.",
): string[] {
    const jobs: ScheduledJob[] = scheduledJobs(timings, startingDeadlineSeconds, prefix);
    const problems: string[] = [];
    for (const rule of windows.awsBackupRules ?? []) {
        try {
            jobs.push({ name: rule.key, schedule: awsCronToFiveField(rule.schedule), durationMinutes: rule.startWindowMinutes });
        } catch (error) {
            problems.push(`${rule.key}: ${(error as Error).message}`);
        }
    }
    problems.push(
        ...findScheduleConflicts({
            backupWindows: [windows.databaseBackupWindow, ...(windows.backupWindows ?? [])].map((w) => ({
                name: w.key,
                window: w.window,
            })),
            maintenanceWindows: windows.maintenanceWindows.map((w) => ({ name: w.key, window: w.window })),
            jobs,
        }),
    );
    const order = restoreCheckOrder(timings, startingDeadlineSeconds, prefix);
    if (order) problems.push(order);
    return problems;
}

/**
 * The restore check must read the dump of the same day (BKP-2): every start of the restore check must come
 * after a pg-dump run has had its full time (start delay and deadline) and less than a day after that run's
 * start. Returns the problem, or undefined when the order holds.
 */
export function restoreCheckOrder(
    timings: JobTimings,
    startingDeadlineSeconds: number,
    prefix = "databaseJobs.",
): string | undefined {
    let dumps: number[];
    let checks: number[];
    try {
        dumps = cronRunsInWeek(timings["pg-dump"].schedule);
        checks = cronRunsInWeek(timings["restore-check"].schedule);
    } catch {
        return undefined; // invalid schedules are reported by findScheduleConflicts
    }
    const dumpTime = occupiedMinutes(timings["pg-dump"], startingDeadlineSeconds);
    for (const check of checks) {
        const since = Math.min(...dumps.map((d) => (((check - d) % MINUTES_PER_WEEK) + MINUTES_PER_WEEK) % MINUTES_PER_WEEK));
        if (since < dumpTime || since >= MINUTES_PER_DAY) {
            return (
                `${prefix}restoreCheck (schedule "${timings["restore-check"].schedule}") starting ${formatMinuteOfWeek(check)} UTC does not follow a finished ` +
                `${prefix}pgDump run (schedule "${timings["pg-dump"].schedule}", up to ${dumpTime} min) of the previous 24 hours (BKP-2)`
            );
        }
    }
    return undefined;
}

/** The timing settings of the stack configuration, by their key paths (MNT-2). */
export interface TimingSettings {
    database: { backupWindow: string; maintenanceWindow: string };
    cache: { snapshotWindow: string; maintenanceWindow: string };
    backup: { databaseSchedule: string; startWindowMinutes: number };
    databaseJobs: { startingDeadlineSeconds: number } & Record<(typeof DATABASE_JOBS)[DatabaseJobName], JobTiming>;
}

/** The job timings of the configuration, by Kubernetes job name. */
export function configuredTimings(cfg: TimingSettings): JobTimings {
    return Object.fromEntries(DATABASE_JOB_NAMES.map((job) => [job, cfg.databaseJobs[DATABASE_JOBS[job]]])) as JobTimings;
}

/**
 * The windows of the configuration (RDS backup and maintenance, ElastiCache snapshot and maintenance, the
 * AWS Backup start window of the database rule), named by their keys (MNT-2).
 */
export function configuredWindows(cfg: TimingSettings): TimingWindows {
    return {
        databaseBackupWindow: { key: "database.backupWindow", window: cfg.database.backupWindow },
        backupWindows: [{ key: "cache.snapshotWindow", window: cfg.cache.snapshotWindow }],
        maintenanceWindows: [
            { key: "database.maintenanceWindow", window: cfg.database.maintenanceWindow },
            { key: "cache.maintenanceWindow", window: cfg.cache.maintenanceWindow },
        ],
        awsBackupRules: [
            {
                key: "backup.databaseSchedule",
                schedule: cfg.backup.databaseSchedule,
                startWindowMinutes: cfg.backup.startWindowMinutes,
            },
        ],
    };
}

/** Every timing conflict of a stack configuration, naming its keys; empty when none (MNT-1, MNT-2). */
export function configuredConflicts(cfg: TimingSettings): string[] {
    return databaseJobConflicts(configuredTimings(cfg), cfg.databaseJobs.startingDeadlineSeconds, configuredWindows(cfg));
}
