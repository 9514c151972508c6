/**
 * AWS Backup schedule expressions (BKP-1, BKP-3, MNT-2): `cron(minutes hours day-of-month month day-of-week
 * year)`, the six-field dialect of EventBridge, validated with cron-validate's `aws-cloud-watch` preset, and
 * projected into the five-field form components/maintenance/schedule.ts expands into weekly start times, so a
 * backup rule's start window can be checked against the database windows and the maintenance jobs.
 */
import cronValidate from "cron-validate";

/** The six fields of an AWS cron expression. */
export interface AwsCron {
    minutes: string;
    hours: string;
    daysOfMonth: string;
    months: string;
    daysOfWeek: string;
    years: string;
}

const WRAPPED = /^cron\((.*)\)$/;

/** Validates `cron(...)` as AWS Backup takes it; returns the error text, or undefined when it is valid (BKP-1). */
export function validateAwsCron(expression: string): string | undefined {
    const match = WRAPPED.exec(expression.trim());
    if (!match)
        return `invalid AWS schedule "${expression}": expected cron(minutes hours day-of-month month day-of-week year), e.g. cron(0 0 ? * * *)`;
    const result = cronValidate(match[1], { preset: "aws-cloud-watch" });
    if (result.isError()) {
        const details = [...new Set(result.getError().map((message) => message.replace(/\s*\(Input cron: '.*'\)$/, "")))];
        return `invalid AWS schedule "${expression}": ${details.join("; ")}`;
    }
    return undefined;
}

/** Parses a valid `cron(...)` expression into its fields; throws with the validator's message otherwise. */
export function parseAwsCron(expression: string): AwsCron {
    const invalid = validateAwsCron(expression);
    if (invalid) throw new Error(invalid);
    const [minutes, hours, daysOfMonth, months, daysOfWeek, years] = WRAPPED.exec(expression.trim())![1].trim().split(/\s+/);
    return { minutes, hours, daysOfMonth, months, daysOfWeek, years };
}

/**
 * The five-field (Kubernetes/Vixie) form of an AWS cron expression, for components/maintenance/schedule.ts:
 * `?` becomes `*`, the year goes, and numeric days of the week move from AWS's 1-7 (Sunday = 1) to 0-6.
 * Expressions with L, W or # have no five-field equivalent and are rejected (MNT-2).
 */
export function awsCronToFiveField(expression: string): string {
    const cron = parseAwsCron(expression);
    for (const [field, value] of Object.entries(cron)) {
        if (/[LW#]/.test(value))
            throw new Error(
                `AWS schedule "${expression}": ${field} "${value}" (L, W or #) cannot be checked for overlaps; use plain values`,
            );
    }
    const blank = (v: string) => (v === "?" ? "*" : v);
    const dow = blank(cron.daysOfWeek).replace(/\d+/g, (d) => {
        const n = Number(d);
        if (n < 1 || n > 7) throw new Error(`AWS schedule "${expression}": day of week ${d} is outside 1-7`);
        return String(n - 1);
    });
    return [cron.minutes, cron.hours, blank(cron.daysOfMonth), cron.months, dow].join(" ");
}
