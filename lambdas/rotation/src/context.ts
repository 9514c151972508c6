/**
 * What a rotation step works with (SEC-1): the AWS clients, the logger, the settings read from the
 * function's environment, and the identity of the rotation in progress.
 */
import type { ElastiCacheClient } from "@aws-sdk/client-elasticache";
import {
    GetRandomPasswordCommand,
    type GetRandomPasswordCommandInput,
    type SecretsManagerClient,
} from "@aws-sdk/client-secrets-manager";
import { StepFailure } from "./errors";
import type { Logger } from "./log";

/** The four steps of the Secrets Manager rotation contract, in the order they run. */
export const STEPS = ["createSecret", "setSecret", "testSecret", "finishSecret"] as const;
/** One step. */
export type Step = (typeof STEPS)[number];

/** The staging label of the live version. */
export const AWSCURRENT = "AWSCURRENT";
/** The staging label of the version being rotated in. */
export const AWSPENDING = "AWSPENDING";
/** The staging label Secrets Manager moves to the version that loses AWSCURRENT. */
export const AWSPREVIOUS = "AWSPREVIOUS";

/** Settings for PostgreSQL connections. */
export interface PostgresSettings {
    /** Allows `sslmode: disable` in a secret; only test runs set it (environment ROTATION_ALLOW_PLAINTEXT_DB=true). */
    allowPlaintext: boolean;
    /** PEM bundle trusted for `sslmode: verify-full` (the RDS CA bundle). */
    caBundlePath: string;
    /** Connect and query timeout in milliseconds. */
    timeoutMs: number;
}

/** How long testSecret waits for a replication group to be `available` after the AUTH change. */
export interface RedisWaitSettings {
    /** Number of DescribeReplicationGroups polls. */
    attempts: number;
    /** Pause between polls in milliseconds. */
    intervalMs: number;
}

/** Settings for the AUTH check against the cache (redis-auth kind). */
export interface RedisSettings {
    /** PEM bundle trusted for the cache's TLS certificate; undefined: the runtime's trusted roots (ElastiCache's CAs are public). */
    caBundlePath?: string;
    /** Connect and reply timeout in milliseconds. */
    timeoutMs: number;
}

/** Everything the steps need from outside; tests pass mocked clients and a capturing logger. */
export interface RotationDeps {
    secrets: SecretsManagerClient;
    elasticache: ElastiCacheClient;
    logger: Logger;
    postgres: PostgresSettings;
    redisWait: RedisWaitSettings;
    redis: RedisSettings;
    sleep: (ms: number) => Promise<void>;
}

/** The rotation in progress, as seen by one step. */
export interface StepContext {
    deps: RotationDeps;
    /** Logger carrying step, secret ARN, token and kind. */
    log: Logger;
    secretArn: string;
    token: string;
}

/** Asks Secrets Manager for a random string (the function's only source of passwords and tokens). */
export async function randomPassword(ctx: StepContext, input: GetRandomPasswordCommandInput): Promise<string> {
    const out = await ctx.deps.secrets.send(new GetRandomPasswordCommand({ IncludeSpace: false, ...input }));
    const value = out.RandomPassword;
    if (typeof value !== "string" || value.length !== input.PasswordLength) {
        throw new StepFailure("GetRandomPassword returned no value of the requested length");
    }
    ctx.log.protect(value);
    return value;
}
