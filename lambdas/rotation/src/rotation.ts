/**
 * The Secrets Manager rotation contract (SEC-1): one invocation per step, createSecret → setSecret →
 * testSecret → finishSecret, for the version named by ClientRequestToken.
 *
 * Every step first checks that rotation is enabled and that the version is staged AWSPENDING; a version
 * that is already AWSCURRENT means the rotation finished and the step does nothing. createSecret is
 * idempotent (an existing AWSPENDING value for the token is kept); finishSecret moves AWSCURRENT to the
 * token and is a no-op when it is already there. What happens outside Secrets Manager depends on the
 * secret's kind (postgres-user, random, redis-auth; see secret.ts).
 */
import {
    DescribeSecretCommand,
    GetSecretValueCommand,
    PutSecretValueCommand,
    ResourceNotFoundException,
    UpdateSecretVersionStageCommand,
    type DescribeSecretCommandOutput,
    type GetSecretValueCommandOutput,
} from "@aws-sdk/client-secrets-manager";
import { AWSCURRENT, AWSPENDING, AWSPREVIOUS, STEPS, type RotationDeps, type Step, type StepContext } from "./context";
import { RotationError, StepFailure, describeCause } from "./errors";
import { createPostgres, setPostgres, testPostgres } from "./kinds/postgres";
import { createRandom, setRandom, testRandom } from "./kinds/random";
import { createRedis, setRedis, testRedis } from "./kinds/redis";
import {
    SECRET_FIELDS,
    parseSecret,
    parseSecretString,
    resolveKind,
    type ParsedSecret,
    type PostgresUserSecret,
    type RotationKind,
} from "./secret";

/** The event Secrets Manager sends to a rotation function. */
export interface RotationEvent {
    SecretId: string;
    ClientRequestToken: string;
    Step: string;
}

/** A fetched and validated secret version. */
interface Version {
    parsed: ParsedSecret;
    created?: Date;
}

/** Reads one version and registers its secret material with the logger before anything else happens. */
async function readVersion(
    ctx: StepContext,
    kindHint: RotationKind | undefined,
    tags: DescribeSecretCommandOutput["Tags"],
    label: typeof AWSCURRENT | typeof AWSPENDING | typeof AWSPREVIOUS,
): Promise<Version> {
    const out: GetSecretValueCommandOutput = await ctx.deps.secrets.send(
        new GetSecretValueCommand(
            label === AWSPENDING
                ? { SecretId: ctx.secretArn, VersionId: ctx.token, VersionStage: AWSPENDING }
                : { SecretId: ctx.secretArn, VersionStage: label },
        ),
    );
    ctx.log.protect(out.SecretString);
    const raw = parseSecretString(out.SecretString, label);
    for (const field of [...Object.values(SECRET_FIELDS), "previous"]) {
        const value = raw[field];
        if (typeof value === "string") ctx.log.protect(value);
    }
    if (kindHint !== undefined && raw.kind !== undefined && raw.kind !== kindHint) {
        throw new StepFailure(`${label} has kind "${String(raw.kind)}" but the secret is rotated as ${kindHint}`);
    }
    const kind = kindHint ?? resolveKind(raw, tags);
    return { parsed: parseSecret(kind, raw, label), created: out.CreatedDate };
}

/** Reads the AWSPENDING version of the token, or undefined when it has no value yet. */
async function readPendingIfPresent(
    ctx: StepContext,
    kind: RotationKind,
    tags: DescribeSecretCommandOutput["Tags"],
): Promise<Version | undefined> {
    try {
        return await readVersion(ctx, kind, tags, AWSPENDING);
    } catch (error) {
        if (error instanceof ResourceNotFoundException) return undefined;
        throw error;
    }
}

async function createSecret(ctx: StepContext, current: Version, tags: DescribeSecretCommandOutput["Tags"]): Promise<void> {
    const existing = await readPendingIfPresent(ctx, current.parsed.kind, tags);
    if (existing) {
        ctx.log.info("AWSPENDING value already exists for this token; keeping it");
        return;
    }
    const { parsed } = current;
    let pending: Record<string, unknown>;
    switch (parsed.kind) {
        case "postgres-user":
            pending = await createPostgres(ctx, parsed.data, parsed.raw);
            break;
        case "random":
            pending = await createRandom(ctx, parsed.data, parsed.raw);
            break;
        case "redis-auth":
            pending = await createRedis(ctx, parsed.data, parsed.raw);
            break;
    }
    // Validate the new version exactly as the later steps will read it.
    parseSecret(parsed.kind, pending, AWSPENDING);
    await ctx.deps.secrets.send(
        new PutSecretValueCommand({
            SecretId: ctx.secretArn,
            ClientRequestToken: ctx.token,
            SecretString: JSON.stringify(pending),
            VersionStages: [AWSPENDING],
        }),
    );
    ctx.log.info("stored new AWSPENDING version");
}

async function requirePending(ctx: StepContext, current: Version, tags: DescribeSecretCommandOutput["Tags"]): Promise<Version> {
    const pending = await readPendingIfPresent(ctx, current.parsed.kind, tags);
    if (!pending) throw new StepFailure("the AWSPENDING version has no value; createSecret has not run for this token");
    return pending;
}

/** The AWSPREVIOUS version of a postgres-user secret, or undefined when there is none yet (first rotation). */
async function readPreviousPostgres(
    ctx: StepContext,
    tags: DescribeSecretCommandOutput["Tags"],
): Promise<PostgresUserSecret | undefined> {
    try {
        const previous = await readVersion(ctx, "postgres-user", tags, AWSPREVIOUS);
        return previous.parsed.kind === "postgres-user" ? previous.parsed.data : undefined;
    } catch (error) {
        if (error instanceof ResourceNotFoundException) return undefined;
        throw error;
    }
}

async function setSecret(
    ctx: StepContext,
    current: Version,
    pending: Version,
    tags: DescribeSecretCommandOutput["Tags"],
): Promise<void> {
    const c = current.parsed;
    const p = pending.parsed;
    if (c.kind === "postgres-user" && p.kind === "postgres-user") {
        // SEC-8: alternating users sign in as the inactive login with its last password, kept in AWSPREVIOUS.
        const previous = c.data.strategy === "alternating" ? await readPreviousPostgres(ctx, tags) : undefined;
        return setPostgres(ctx, c.data, p.data, previous);
    }
    if (c.kind === "redis-auth" && p.kind === "redis-auth") return setRedis(ctx, c.data, p.data);
    return setRandom(ctx);
}

async function testSecret(ctx: StepContext, pending: Version): Promise<void> {
    const p = pending.parsed;
    switch (p.kind) {
        case "postgres-user":
            return testPostgres(ctx, p.data);
        case "random":
            return testRandom(ctx, p.data);
        case "redis-auth":
            return testRedis(ctx, p.data);
    }
}

/** Moves AWSCURRENT to the token (runStep has already returned when the token holds it). */
async function finishSecret(ctx: StepContext, stages: Record<string, string[]>): Promise<void> {
    const currentVersion = Object.keys(stages).find((id) => stages[id]?.includes(AWSCURRENT));
    await ctx.deps.secrets.send(
        new UpdateSecretVersionStageCommand({
            SecretId: ctx.secretArn,
            VersionStage: AWSCURRENT,
            MoveToVersionId: ctx.token,
            ...(currentVersion ? { RemoveFromVersionId: currentVersion } : {}),
        }),
    );
    ctx.log.info("moved AWSCURRENT to the new version", { previousVersion: currentVersion });
}

/** Checks the event's shape; a malformed event fails before any call. */
function checkEvent(event: unknown): RotationEvent {
    const e = (event ?? {}) as Partial<Record<keyof RotationEvent, unknown>>;
    const step = typeof e.Step === "string" ? e.Step : "unknown";
    const arn = typeof e.SecretId === "string" && e.SecretId ? e.SecretId : "unknown";
    if (arn === "unknown") throw new RotationError(step, arn, "the event has no SecretId");
    if (typeof e.ClientRequestToken !== "string" || !e.ClientRequestToken) {
        throw new RotationError(step, arn, "the event has no ClientRequestToken");
    }
    if (!(STEPS as readonly string[]).includes(step)) {
        throw new RotationError(step, arn, `unknown step; expected one of ${STEPS.join(", ")}`);
    }
    return { SecretId: arn, ClientRequestToken: e.ClientRequestToken, Step: step };
}

async function runStep(ctx: StepContext, step: Step): Promise<void> {
    const meta = await ctx.deps.secrets.send(new DescribeSecretCommand({ SecretId: ctx.secretArn }));
    if (meta.RotationEnabled !== true) throw new StepFailure("rotation is not enabled for this secret");
    const stages = meta.VersionIdsToStages ?? {};
    const tokenStages = stages[ctx.token];
    if (!tokenStages) throw new StepFailure(`version ${ctx.token} has no staging label for rotation`);
    if (tokenStages.includes(AWSCURRENT)) {
        ctx.log.info("version already AWSCURRENT; nothing to do");
        return;
    }
    if (!tokenStages.includes(AWSPENDING)) throw new StepFailure(`version ${ctx.token} is not staged AWSPENDING`);

    if (step === "finishSecret") return finishSecret(ctx, stages);

    const current = await readVersion(ctx, undefined, meta.Tags, AWSCURRENT);
    ctx.log = ctx.log.child({ kind: current.parsed.kind });
    switch (step) {
        case "createSecret":
            return createSecret(ctx, current, meta.Tags);
        case "setSecret":
            return setSecret(ctx, current, await requirePending(ctx, current, meta.Tags), meta.Tags);
        case "testSecret":
            return testSecret(ctx, await requirePending(ctx, current, meta.Tags));
    }
}

/** Builds the Lambda handler over the given dependencies. */
export function createHandler(deps: RotationDeps): (event: RotationEvent) => Promise<void> {
    return async (event: RotationEvent): Promise<void> => {
        let checked: RotationEvent;
        try {
            checked = checkEvent(event);
        } catch (error) {
            const e = error as RotationError;
            deps.logger.error("rotation event rejected", { step: e.step, secretArn: e.secretArn, error: e.message });
            throw error;
        }
        const step = checked.Step as Step;
        const ctx: StepContext = {
            deps,
            secretArn: checked.SecretId,
            token: checked.ClientRequestToken,
            log: deps.logger.child({ step, secretArn: checked.SecretId, token: checked.ClientRequestToken }),
        };
        ctx.log.info("rotation step started");
        try {
            await runStep(ctx, step);
        } catch (error) {
            const cause = describeCause(error);
            const failure =
                error instanceof StepFailure
                    ? new RotationError(step, ctx.secretArn, ctx.log.redact(error.message), {
                          name: error.causeName,
                          code: error.causeCode,
                      })
                    : new RotationError(step, ctx.secretArn, ctx.log.redact(cause.message), cause);
            ctx.log.error("rotation step failed", {
                error: failure.message,
                causeName: failure.causeName,
                causeCode: failure.causeCode,
            });
            throw failure;
        }
        ctx.log.info("rotation step finished");
    };
}
