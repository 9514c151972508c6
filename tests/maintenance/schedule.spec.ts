/**
 * MNT-1, MNT-2, DB-2: window parsing, CronJob schedule validation and the overlap computation of
 * components/maintenance/schedule.ts.
 */
import { strict as assert } from "assert";
import {
    cronRunsInWeek,
    findScheduleConflicts,
    formatInterval,
    MINUTES_PER_DAY,
    overlapOf,
    parseDailyWindow,
    parseWeeklyWindow,
    validateCronSchedule,
    windowConflict,
} from "../../components/maintenance/schedule";

const at = (day: number, hh: number, mm = 0): number => day * MINUTES_PER_DAY + hh * 60 + mm;
const MON = 0;
const SAT = 5;
const SUN = 6;

describe("MNT-2 DB-2 maintenance and backup windows (components/maintenance/schedule.ts)", () => {
    it("parses daily windows, including one that wraps midnight", () => {
        assert.deepEqual(parseDailyWindow("03:00-03:30"), {
            kind: "daily",
            text: "03:00-03:30",
            startMinute: 180,
            durationMinutes: 30,
        });
        assert.deepEqual(parseDailyWindow("23:30-00:30"), {
            kind: "daily",
            text: "23:30-00:30",
            startMinute: 1410,
            durationMinutes: 60,
        });
    });

    it("parses weekly windows in any case, including one that wraps the end of the week", () => {
        assert.deepEqual(parseWeeklyWindow("sun:04:00-sun:05:00"), {
            kind: "weekly",
            text: "sun:04:00-sun:05:00",
            startMinute: at(SUN, 4),
            durationMinutes: 60,
        });
        assert.deepEqual(parseWeeklyWindow("Sun:23:30-Mon:00:30"), {
            kind: "weekly",
            text: "Sun:23:30-Mon:00:30",
            startMinute: at(SUN, 23, 30),
            durationMinutes: 60,
        });
        assert.equal(parseWeeklyWindow("sat:22:00-tue:02:00").durationMinutes, 2 * MINUTES_PER_DAY + 4 * 60);
    });

    it("rejects malformed, empty and too short windows with a message naming the window", () => {
        assert.throws(
            () => parseDailyWindow("3:00-3:30"),
            /window "3:00-3:30" is not a daily window of the form hh24:mi-hh24:mi/,
        );
        assert.throws(() => parseDailyWindow("24:00-00:30"), /not a daily window/);
        assert.throws(() => parseDailyWindow("sun:03:00-sun:04:00"), /not a daily window/);
        assert.throws(() => parseDailyWindow("03:00-03:00"), /starts and ends at the same time/);
        assert.throws(() => parseDailyWindow("03:00-03:20"), /lasts 20 minutes; at least 30 are required/);
        assert.throws(() => parseWeeklyWindow("03:00-04:00"), /not a weekly window of the form ddd:hh24:mi-ddd:hh24:mi/);
        assert.throws(() => parseWeeklyWindow("sun:03:00-xyz:04:00"), /not a weekly window/);
        assert.throws(() => parseWeeklyWindow("sun:05:00-sun:05:00"), /starts and ends at the same time/);
        assert.throws(() => parseWeeklyWindow("wed:04:00-wed:04:45", 60), /lasts 45 minutes; at least 60 are required/);
    });

    it("computes overlaps on the weekly circle, half-open and wrapping the week", () => {
        assert.deepEqual(overlapOf({ start: 100, duration: 60 }, { start: 130, duration: 60 }), { start: 130, duration: 30 });
        assert.deepEqual(overlapOf({ start: 130, duration: 60 }, { start: 100, duration: 60 }), { start: 130, duration: 30 });
        assert.deepEqual(overlapOf({ start: 100, duration: 60 }, { start: 110, duration: 10 }), { start: 110, duration: 10 });
        assert.equal(
            overlapOf({ start: 100, duration: 60 }, { start: 160, duration: 60 }),
            undefined,
            "touching is not overlapping",
        );
        assert.deepEqual(overlapOf({ start: at(SUN, 23, 30), duration: 60 }, { start: at(MON, 0), duration: 60 }), {
            start: 0,
            duration: 30,
        });
        assert.equal(formatInterval({ start: at(SUN, 23, 30), duration: 60 }), "Sun 23:30-Mon 00:30 UTC");
    });

    it("finds a backup window overlapping a maintenance window, and none when they are apart or only touch", () => {
        const backup = { label: "backup window", window: parseDailyWindow("03:00-03:30") };
        assert.equal(
            windowConflict(backup, { label: 'maintenance window "rds"', window: parseWeeklyWindow("sun:03:15-sun:04:00") }),
            'backup window (03:00-03:30 UTC daily) overlaps maintenance window "rds" (sun:03:15-sun:04:00 UTC weekly) on Sun 03:15-Sun 03:30 UTC',
        );
        assert.equal(windowConflict(backup, { label: "m", window: parseWeeklyWindow("sun:03:30-sun:04:30") }), undefined);
        assert.equal(windowConflict(backup, { label: "m", window: parseWeeklyWindow("sun:02:00-sun:03:00") }), undefined);
    });

    it("finds overlaps across midnight and across the end of the week", () => {
        const conflicts = findScheduleConflicts({
            backupWindow: "23:45-00:15",
            maintenanceWindows: [
                { name: "rds", window: "sun:23:30-mon:00:30" },
                { name: "elasticache", window: "tue:00:10-tue:01:10" },
                { name: "node-group", window: "wed:01:00-wed:02:00" },
            ],
        });
        assert.deepEqual(conflicts, [
            'backup window (23:45-00:15 UTC daily) overlaps maintenance window "rds" (sun:23:30-mon:00:30 UTC weekly): first on Sun 23:45-Mon 00:15 UTC',
            'backup window (23:45-00:15 UTC daily) overlaps maintenance window "elasticache" (tue:00:10-tue:01:10 UTC weekly): first on Tue 00:10-Tue 00:15 UTC',
        ]);
    });
});

describe("MNT-1 CronJob schedules (components/maintenance/schedule.ts)", () => {
    it("accepts standard five-field Kubernetes schedules with names, lists, ranges and steps", () => {
        for (const schedule of ["0 4 * * 0", "30 2 * * SUN", "0 5 1 * *", "*/15 1-4 * * mon-fri", "0 3 1,15 JAN-DEC/3 *"]) {
            assert.equal(validateCronSchedule(schedule), undefined, schedule);
        }
    });

    it("rejects invalid schedules with a message naming the schedule and the fault", () => {
        const cases: [string, RegExp][] = [
            ["0 4 * *", /Expected 5 values, but got 4/],
            ["0 0 4 * * *", /Expected 5 values, but got 6/],
            ["@weekly", /Expected 5 values, but got 1/],
            ["61 4 * * *", /minutes field is bigger than upper limit '59'/],
            ["0 24 * * *", /hours field is bigger than upper limit '23'/],
            ["0 4 0 * *", /daysOfMonth field is smaller than lower limit '1'/],
            ["0 4 * 13 *", /months field is bigger than upper limit '12'/],
            ["0 4 * * 7", /daysOfWeek field is bigger than upper limit '6'/],
            ["0 4 ? * 1", /useBlankDay is not enabled/],
            ["0 4 L * *", /Element 'L' of daysOfMonth field is invalid/],
            ["*/0 4 * * *", /cannot be zero/],
            ["0 4 31 2 *", /Invalid explicit day of month definition/],
        ];
        for (const [schedule, reason] of cases) {
            const message = validateCronSchedule(schedule);
            assert.ok(message, `${schedule} must be rejected`);
            assert.ok(message.startsWith(`invalid cron schedule "${schedule}": `), message);
            assert.match(message, reason);
        }
    });

    it("computes every start time of a schedule in the week (UTC)", () => {
        assert.deepEqual(cronRunsInWeek("0 4 * * 0"), [at(SUN, 4)]);
        assert.deepEqual(
            cronRunsInWeek("30 2 * * *"),
            [0, 1, 2, 3, 4, 5, 6].map((d) => at(d, 2, 30)),
        );
        assert.deepEqual(cronRunsInWeek("0 1,13 * * sat"), [at(SAT, 1), at(SAT, 13)]);
        assert.equal(cronRunsInWeek("*/15 * * * *").length, 7 * 24 * 4);
        // a monthly job can fall on any weekday
        assert.deepEqual(
            cronRunsInWeek("0 5 1 * *"),
            [0, 1, 2, 3, 4, 5, 6].map((d) => at(d, 5)),
        );
        assert.throws(() => cronRunsInWeek("0 4 * * 8"), /invalid cron schedule "0 4 \* \* 8"/);
    });
});

describe("MNT-1 MNT-2 findScheduleConflicts (components/maintenance/schedule.ts)", () => {
    const base = {
        backupWindow: "03:00-03:30",
        maintenanceWindows: [
            { name: "rds", window: "sun:04:00-sun:05:00" },
            { name: "elasticache", window: "mon:04:00-mon:05:00" },
        ],
    };

    it("reports nothing for a schedule that keeps every job out of the windows and away from the others", () => {
        const conflicts = findScheduleConflicts({
            ...base,
            backupWindows: [{ name: "elasticache-snapshot", window: "02:00-03:00" }],
            jobs: [
                { name: "pg-dump", schedule: "0 1 * * *", durationMinutes: 45 },
                { name: "restore-check", schedule: "0 6 * * *", durationMinutes: 60 },
                { name: "vacuum-analyze", schedule: "0 5 * * 0", durationMinutes: 60 },
                { name: "analyze", schedule: "0 5 * * 3", durationMinutes: 30 },
                { name: "reindex", schedule: "0 7 1 * *", durationMinutes: 120 },
                { name: "slow-query-report", schedule: "30 9 * * 1", durationMinutes: 15 },
            ],
        });
        assert.deepEqual(conflicts, []);
    });

    it("reports a job overlapping the backup window, a maintenance window, and another job", () => {
        const conflicts = findScheduleConflicts({
            ...base,
            jobs: [
                { name: "vacuum-analyze", schedule: "45 2 * * 0", durationMinutes: 30 },
                { name: "reindex", schedule: "30 3 1 * *", durationMinutes: 60 },
                { name: "slow-query-report", schedule: "0 2 * * 0", durationMinutes: 50 },
            ],
        });
        assert.deepEqual(conflicts, [
            'job "vacuum-analyze" (schedule "45 2 * * 0" UTC, 30 min per run) overlaps backup window (03:00-03:30 UTC daily): first on Sun 03:00-Sun 03:15 UTC; 1 of 1 weekly start times affected',
            'job "reindex" (schedule "30 3 1 * *" UTC, 60 min per run) overlaps maintenance window "rds" (sun:04:00-sun:05:00 UTC weekly): first on Sun 04:00-Sun 04:30 UTC; 1 of 7 weekly start times affected',
            'job "reindex" (schedule "30 3 1 * *" UTC, 60 min per run) overlaps maintenance window "elasticache" (mon:04:00-mon:05:00 UTC weekly): first on Mon 04:00-Mon 04:30 UTC; 1 of 7 weekly start times affected',
            'job "vacuum-analyze" (schedule "45 2 * * 0" UTC, 30 min per run) overlaps job "slow-query-report" (schedule "0 2 * * 0" UTC, 50 min per run): first on Sun 02:45-Sun 02:50 UTC; 1 of 1 weekly start times affected',
        ]);
    });

    it("counts a job ending exactly when a window opens as no conflict, one minute longer as a conflict", () => {
        const job = (durationMinutes: number) => ({
            ...base,
            jobs: [{ name: "analyze", schedule: "0 2 * * *", durationMinutes }],
        });
        assert.deepEqual(findScheduleConflicts(job(60)), []);
        assert.deepEqual(findScheduleConflicts(job(61)), [
            'job "analyze" (schedule "0 2 * * *" UTC, 61 min per run) overlaps backup window (03:00-03:30 UTC daily): first on Mon 03:00-Mon 03:01 UTC; 7 of 7 weekly start times affected',
        ]);
    });

    it("finds a job that runs past midnight into a window and one that runs past the end of the week", () => {
        const conflicts = findScheduleConflicts({
            backupWindow: "00:10-00:40",
            maintenanceWindows: [{ name: "node-group", window: "mon:01:00-mon:02:00" }],
            jobs: [{ name: "vacuum-analyze", schedule: "30 23 * * 0", durationMinutes: 120 }],
        });
        assert.deepEqual(conflicts, [
            'job "vacuum-analyze" (schedule "30 23 * * 0" UTC, 120 min per run) overlaps backup window (00:10-00:40 UTC daily): first on Mon 00:10-Mon 00:40 UTC; 1 of 1 weekly start times affected',
            'job "vacuum-analyze" (schedule "30 23 * * 0" UTC, 120 min per run) overlaps maintenance window "node-group" (mon:01:00-mon:02:00 UTC weekly): first on Mon 01:00-Mon 01:30 UTC; 1 of 1 weekly start times affected',
        ]);
    });

    it("reports the backup window overlapping a maintenance window", () => {
        assert.deepEqual(findScheduleConflicts({ backupWindow: "04:30-05:00", maintenanceWindows: base.maintenanceWindows }), [
            'backup window (04:30-05:00 UTC daily) overlaps maintenance window "rds" (sun:04:00-sun:05:00 UTC weekly): first on Sun 04:30-Sun 05:00 UTC',
            'backup window (04:30-05:00 UTC daily) overlaps maintenance window "elasticache" (mon:04:00-mon:05:00 UTC weekly): first on Mon 04:30-Mon 05:00 UTC',
        ]);
    });

    it("lists invalid windows, schedules and durations as problems instead of throwing", () => {
        const conflicts = findScheduleConflicts({
            backupWindow: "3am-4am",
            backupWindows: [{ name: "elasticache-snapshot", window: "05:00-05:10" }],
            maintenanceWindows: [{ name: "rds", window: "sunday 04:00" }],
            jobs: [
                { name: "reindex", schedule: "0 3 * * 7", durationMinutes: 60 },
                { name: "analyze", schedule: "0 3 * * 1", durationMinutes: 0 },
            ],
        });
        assert.deepEqual(conflicts, [
            'backup window: window "3am-4am" is not a daily window of the form hh24:mi-hh24:mi (UTC), e.g. 03:00-03:30',
            'backup window "elasticache-snapshot": window "05:00-05:10" lasts 10 minutes; at least 30 are required',
            'maintenance window "rds": window "sunday 04:00" is not a weekly window of the form ddd:hh24:mi-ddd:hh24:mi (UTC), e.g. sun:04:00-sun:05:00',
            "job \"reindex\": invalid cron schedule \"0 3 * * 7\": Number '7' of daysOfWeek field is bigger than upper limit '6'.",
            'job "analyze": durationMinutes must be a whole number of minutes between 1 and 10079',
        ]);
    });
});
