/**
 * The error every failed rotation step raises (SEC-1): it names the step and the secret ARN so the
 * Lambda error, the CloudWatch log line and the Secrets Manager rotation failure event all say where
 * the rotation stopped. The message never carries a secret value (SEC-2): callers pass text through
 * the logger's redaction first, and the original error is reduced to its name and code.
 */
export class RotationError extends Error {
    /** The rotation step that failed (createSecret, setSecret, testSecret, finishSecret). */
    readonly step: string;
    /** The ARN (or name) of the secret being rotated. */
    readonly secretArn: string;
    /** Name of the underlying error, when one caused this failure (e.g. ResourceNotFoundException). */
    readonly causeName?: string;
    /** Code of the underlying error, when it has one (e.g. PostgreSQL SQLSTATE 28P01). */
    readonly causeCode?: string;

    constructor(step: string, secretArn: string, reason: string, cause?: { name?: string; code?: string }) {
        super(`${step} failed for ${secretArn}: ${reason}`);
        this.name = "RotationError";
        this.step = step;
        this.secretArn = secretArn;
        if (cause?.name) this.causeName = cause.name;
        if (cause?.code) this.causeCode = cause.code;
    }
}

/** A failure inside a step, raised before the step and ARN are attached by the dispatcher. */
export class StepFailure extends Error {
    constructor(
        message: string,
        readonly causeName?: string,
        readonly causeCode?: string,
    ) {
        super(message);
        this.name = "StepFailure";
    }
}

/** Name and code of an unknown thrown value, for diagnostics without its (possibly sensitive) payload. */
export function describeCause(error: unknown): { name?: string; code?: string; message: string } {
    if (error instanceof Error) {
        const code = (error as { code?: unknown }).code;
        return { name: error.name, code: typeof code === "string" ? code : undefined, message: error.message };
    }
    return { message: String(error) };
}
