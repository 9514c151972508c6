/** Rotation schedules of Secrets Manager (SEC-1): `rate(N days|hours)` and AWS six-field `cron(...)`. */
import { CronExpressionParser } from "cron-parser";

/**
 * The longest gap in days between two runs of a schedule expression, or an error text when the
 * expression is not a valid Secrets Manager schedule.
 */
export function longestGapDays(expression: string): number | { error: string } {
    const rate = /^rate\(\s*(\d+)\s+(day|days|hour|hours)\s*\)$/i.exec(expression.trim());
    if (rate) {
        const n = Number(rate[1]);
        return rate[2].toLowerCase().startsWith("hour") ? n / 24 : n;
    }
    const cron = /^cron\((.*)\)$/i.exec(expression.trim());
    if (!cron) {
        return { error: `"${expression}" is neither rate(...) nor cron(...)` };
    }
    const fields = cron[1].trim().split(/\s+/);
    if (fields.length !== 6) {
        return { error: `"${expression}": AWS cron expressions have six fields (minute hour day month weekday year)` };
    }
    // Drop the year field and turn the AWS "?" into "*"; a uniform weekday offset does not change gap lengths.
    const standard = fields
        .slice(0, 5)
        .map((f) => (f === "?" ? "*" : f))
        .join(" ");
    try {
        const parsed = CronExpressionParser.parse(standard, { currentDate: new Date("2025-01-01T00:00:00Z"), tz: "UTC" });
        let previous = parsed.next().toDate().getTime();
        let longest = 0;
        const horizon = previous + 800 * 86_400_000;
        while (previous < horizon) {
            const next = parsed.next().toDate().getTime();
            longest = Math.max(longest, (next - previous) / 86_400_000);
            previous = next;
        }
        return longest;
    } catch (e) {
        return { error: `"${expression}": ${(e as Error).message}` };
    }
}
