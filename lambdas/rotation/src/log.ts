/**
 * Structured JSON logging for the secret-rotation function (SEC-1, SEC-2).
 *
 * Every line is one JSON object (CloudWatch Logs Insights can query its fields). Secret values must
 * never reach the log: every value the function reads or generates is registered with `protect()`,
 * and each line (and each error message leaving the function) is passed through `redact()` before it
 * is written, so even an unexpected echo of a value in a third-party error message is masked.
 */

/** Severity of a log line. */
export type LogLevel = "info" | "warn" | "error";

/** Extra fields of a log line: identifiers and states only, never secret material. */
export type LogFields = Record<string, string | number | boolean | undefined>;

/** Where finished lines go; defaults to standard output, tests capture them. */
export type LogSink = (line: string) => void;

/** Replacement text for a masked value. */
export const REDACTED = "[REDACTED]";

/** Values shorter than this are not masked (they would mask ordinary words and digits). */
const MIN_PROTECTED_LENGTH = 6;

/** The set of values to mask, shared by a logger and all its children. */
class Redactor {
    private readonly values = new Set<string>();

    add(value: string): void {
        if (value.length < MIN_PROTECTED_LENGTH) return;
        this.values.add(value);
        // Inside a JSON line the value appears escaped; mask that spelling too.
        const escaped = JSON.stringify(value).slice(1, -1);
        if (escaped !== value) this.values.add(escaped);
    }

    apply(text: string): string {
        let out = text;
        // Longest first, so a value containing another is masked whole.
        const ordered = [...this.values].sort((a, b) => b.length - a.length);
        for (const value of ordered) out = out.split(value).join(REDACTED);
        return out;
    }
}

/** A JSON logger with fixed context fields and secret masking. */
export class Logger {
    private constructor(
        private readonly sink: LogSink,
        private readonly context: LogFields,
        private readonly redactor: Redactor,
    ) {}

    /** A root logger writing to `sink` (standard output by default). */
    static create(sink: LogSink = (line) => process.stdout.write(`${line}\n`)): Logger {
        return new Logger(sink, {}, new Redactor());
    }

    /** A logger adding `fields` to every line; it shares the set of protected values. */
    child(fields: LogFields): Logger {
        return new Logger(this.sink, { ...this.context, ...fields }, this.redactor);
    }

    /** Registers a secret value so it is masked wherever it would appear. */
    protect(value: string | undefined): void {
        if (typeof value === "string") this.redactor.add(value);
    }

    /** Masks every protected value in `text`. */
    redact(text: string): string {
        return this.redactor.apply(text);
    }

    info(message: string, fields: LogFields = {}): void {
        this.write("info", message, fields);
    }

    warn(message: string, fields: LogFields = {}): void {
        this.write("warn", message, fields);
    }

    error(message: string, fields: LogFields = {}): void {
        this.write("error", message, fields);
    }

    private write(level: LogLevel, message: string, fields: LogFields): void {
        const line = JSON.stringify({
            timestamp: new Date().toISOString(),
            level,
            message,
            ...this.context,
            ...fields,
        });
        this.sink(this.redactor.apply(line));
    }
}
