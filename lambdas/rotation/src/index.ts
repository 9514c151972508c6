/**
 * Entry point of the secret-rotation Lambda function (SEC-1), handler `index.handler` on nodejs22.x.
 *
 * Settings come from the function's environment:
 * - ROTATION_ALLOW_PLAINTEXT_DB: "true" allows `sslmode: disable` (test runs only; never set in AWS).
 * - PG_CA_BUNDLE: PEM file trusted for `sslmode: verify-full`; default /var/runtime/ca-cert.pem, the
 *   bundle of Amazon root and RDS certificates shipped with the Node.js 20+ Lambda runtimes.
 * - PG_TIMEOUT_MS: connect and query timeout towards PostgreSQL; default 10000.
 * - REDIS_WAIT_ATTEMPTS / REDIS_WAIT_INTERVAL_SECONDS: how long testSecret waits for a replication
 *   group to be available again; default 40 checks 15 s apart (the function timeout must exceed it).
 * - REDIS_CA_BUNDLE: PEM file trusted for the cache's TLS certificate; default the runtime's roots.
 * - REDIS_TIMEOUT_MS: connect and reply timeout towards the cache; default 5000.
 */
import { ElastiCacheClient } from "@aws-sdk/client-elasticache";
import { SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import type { RotationDeps } from "./context";
import { Logger } from "./log";
import { createHandler, type RotationEvent } from "./rotation";

export { createHandler, type RotationEvent } from "./rotation";
export type { RotationDeps } from "./context";
export { Logger } from "./log";
export { RotationError } from "./errors";

function positiveInteger(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
    const text = env[name];
    if (text === undefined || text === "") return fallback;
    const value = Number(text);
    if (!Number.isInteger(value) || value <= 0) throw new Error(`environment ${name} must be a positive integer`);
    return value;
}

/** The dependencies of a deployed function, read from its environment. */
export function depsFromEnvironment(env: NodeJS.ProcessEnv = process.env, logger: Logger = Logger.create()): RotationDeps {
    return {
        secrets: new SecretsManagerClient({}),
        elasticache: new ElastiCacheClient({}),
        logger,
        postgres: {
            allowPlaintext: env.ROTATION_ALLOW_PLAINTEXT_DB === "true",
            caBundlePath: env.PG_CA_BUNDLE || "/var/runtime/ca-cert.pem",
            timeoutMs: positiveInteger(env, "PG_TIMEOUT_MS", 10_000),
        },
        redisWait: {
            attempts: positiveInteger(env, "REDIS_WAIT_ATTEMPTS", 40),
            intervalMs: positiveInteger(env, "REDIS_WAIT_INTERVAL_SECONDS", 15) * 1000,
        },
        redis: {
            caBundlePath: env.REDIS_CA_BUNDLE || undefined,
            timeoutMs: positiveInteger(env, "REDIS_TIMEOUT_MS", 5_000),
        },
        sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    };
}

let deployed: ((event: RotationEvent) => Promise<void>) | undefined;

/** The Lambda handler: one rotation step per invocation. Clients are created once per container. */
export async function handler(event: RotationEvent): Promise<void> {
    deployed ??= createHandler(depsFromEnvironment());
    return deployed(event);
}
