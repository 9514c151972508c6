/**
 * The JSON schema of the secrets this function rotates (SEC-1), documented in docs/secret-rotation.md.
 *
 * Every rotated secret is a JSON object. Its kind comes from the `kind` field, or, when the field is
 * absent, from the secret's `rotation-kind` tag; when both are present they must agree. Validation
 * errors name the field and the expectation but never echo a value (SEC-2).
 */
import { StepFailure } from "./errors";

/** The kinds of secret the function knows how to rotate. */
export const ROTATION_KINDS = ["postgres-user", "random", "redis-auth"] as const;
/** One rotation kind. */
export type RotationKind = (typeof ROTATION_KINDS)[number];

/** Tag naming the kind when the secret JSON has no `kind` field. */
export const KIND_TAG = "rotation-kind";

/** Connection security towards PostgreSQL, in libpq's vocabulary. */
export const SSL_MODES = ["verify-full", "require", "disable"] as const;
/** One sslmode value. */
export type SslMode = (typeof SSL_MODES)[number];

/** Encodings of a `random` secret's value. */
export const RANDOM_ENCODINGS = ["base64url", "base64", "hex", "alphanumeric"] as const;
/** One encoding. */
export type RandomEncoding = (typeof RANDOM_ENCODINGS)[number];

/**
 * How a postgres-user secret rotates (SEC-8): `single` changes the password of the one login role (a client
 * holding the old password is refused at once); `alternating` changes the password of the other of two
 * login roles (`users`) and then names it, so the login in use keeps working until the next rotation.
 */
export const POSTGRES_STRATEGIES = ["single", "alternating"] as const;
/** One strategy. */
export type PostgresStrategy = (typeof POSTGRES_STRATEGIES)[number];

/** A PostgreSQL login role's credentials (app read-write, read-only, migration owner). */
export interface PostgresUserSecret {
    kind?: "postgres-user";
    host: string;
    port: number;
    dbname: string;
    username: string;
    password: string;
    /** Default verify-full: TLS with the server certificate checked against the RDS CA bundle. */
    sslmode: SslMode;
    /** Length of generated passwords; default 32, 20 to 128. */
    passwordLength: number;
    /** Rotation strategy; default single (SEC-8). */
    strategy: PostgresStrategy;
    /** alternating: the two login roles, `username` being one of them. */
    users?: [string, string];
    /** The NOLOGIN group role every session of the logins runs as (ALTER ROLE ... SET ROLE); checked by testSecret. */
    groupRole?: string;
}

/** A random value (JWT signing secret, generated API key). */
export interface RandomSecret {
    kind?: "random";
    value: string;
    /** Characters in the value; default 64, 32 to 4096 (base64: a multiple of 4). */
    length: number;
    /** Alphabet of the value; default base64url. */
    encoding: RandomEncoding;
}

/** An ElastiCache replication group's AUTH token. */
export interface RedisAuthSecret {
    kind?: "redis-auth";
    replicationGroupId: string;
    token: string;
    /** Characters in generated tokens; default 64, 32 to 128 (ElastiCache allows 16 to 128). */
    length: number;
}

/** A parsed secret with its kind. */
export type ParsedSecret =
    | { kind: "postgres-user"; data: PostgresUserSecret; raw: Record<string, unknown> }
    | { kind: "random"; data: RandomSecret; raw: Record<string, unknown> }
    | { kind: "redis-auth"; data: RedisAuthSecret; raw: Record<string, unknown> };

/** Names of the fields holding secret material, per kind (masked in logs, never compared in errors). */
export const SECRET_FIELDS: Record<RotationKind, string> = {
    "postgres-user": "password",
    random: "value",
    "redis-auth": "token",
};

/** Parses a SecretString into a JSON object without ever quoting its content in an error. */
export function parseSecretString(text: string | undefined, label: string): Record<string, unknown> {
    if (typeof text !== "string" || text.length === 0) {
        throw new StepFailure(`${label} has no SecretString (binary secrets are not supported)`);
    }
    let parsed: unknown;
    try {
        parsed = JSON.parse(text);
    } catch {
        // JSON.parse messages quote the input; report only that it is not JSON.
        throw new StepFailure(`${label} SecretString is not valid JSON`);
    }
    if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) {
        throw new StepFailure(`${label} SecretString must be a JSON object`);
    }
    return parsed as Record<string, unknown>;
}

/** Decides the kind from the `kind` field and the `rotation-kind` tag. */
export function resolveKind(raw: Record<string, unknown>, tags: { Key?: string; Value?: string }[] | undefined): RotationKind {
    const fromField = raw.kind;
    const fromTag = tags?.find((tag) => tag.Key === KIND_TAG)?.Value;
    if (fromField !== undefined && typeof fromField !== "string") {
        throw new StepFailure(`field "kind" must be a string, one of ${ROTATION_KINDS.join(", ")}`);
    }
    if (fromField !== undefined && fromTag !== undefined && fromField !== fromTag) {
        throw new StepFailure(`field "kind" (${fromField}) and tag "${KIND_TAG}" (${fromTag}) disagree`);
    }
    const kind = fromField ?? fromTag;
    if (kind === undefined) {
        throw new StepFailure(`the secret has neither a "kind" field nor a "${KIND_TAG}" tag`);
    }
    if (!(ROTATION_KINDS as readonly string[]).includes(kind)) {
        throw new StepFailure(`unknown kind "${kind}"; expected one of ${ROTATION_KINDS.join(", ")}`);
    }
    return kind as RotationKind;
}

function requireString(raw: Record<string, unknown>, field: string, label: string): string {
    const value = raw[field];
    if (typeof value !== "string" || value.length === 0) {
        throw new StepFailure(`${label}: field "${field}" must be a non-empty string`);
    }
    return value;
}

function optionalInteger(
    raw: Record<string, unknown>,
    field: string,
    label: string,
    fallback: number,
    min: number,
    max: number,
): number {
    const value = raw[field];
    if (value === undefined) return fallback;
    const parsed = typeof value === "string" && /^\d+$/.test(value) ? Number(value) : value;
    if (typeof parsed !== "number" || !Number.isInteger(parsed) || parsed < min || parsed > max) {
        throw new StepFailure(`${label}: field "${field}" must be an integer from ${min} to ${max}`);
    }
    return parsed;
}

function optionalEnum<T extends string>(
    raw: Record<string, unknown>,
    field: string,
    label: string,
    allowed: readonly T[],
    fallback: T,
): T {
    const value = raw[field];
    if (value === undefined) return fallback;
    if (typeof value !== "string" || !(allowed as readonly string[]).includes(value)) {
        throw new StepFailure(`${label}: field "${field}" must be one of ${allowed.join(", ")}`);
    }
    return value as T;
}

/** Validates a secret of the given kind; `label` names the version in messages (AWSCURRENT, AWSPENDING). */
export function parseSecret(kind: RotationKind, raw: Record<string, unknown>, label: string): ParsedSecret {
    switch (kind) {
        case "postgres-user": {
            const data: PostgresUserSecret = {
                host: requireString(raw, "host", label),
                port: optionalInteger(raw, "port", label, 5432, 1, 65535),
                dbname: requireString(raw, "dbname", label),
                username: requireString(raw, "username", label),
                password: requireString(raw, "password", label),
                sslmode: optionalEnum(raw, "sslmode", label, SSL_MODES, "verify-full"),
                passwordLength: optionalInteger(raw, "passwordLength", label, 32, 20, 128),
                strategy: optionalEnum(raw, "strategy", label, POSTGRES_STRATEGIES, "single"),
            };
            if (raw.groupRole !== undefined) data.groupRole = requireString(raw, "groupRole", label);
            if (data.strategy === "alternating") {
                const users = raw.users;
                if (
                    !Array.isArray(users) ||
                    users.length !== 2 ||
                    !users.every((u) => typeof u === "string" && u.length > 0) ||
                    users[0] === users[1]
                ) {
                    throw new StepFailure(
                        `${label}: field "users" must list two different login role names for the alternating strategy`,
                    );
                }
                if (!users.includes(data.username)) throw new StepFailure(`${label}: field "username" must be one of "users"`);
                data.users = [users[0], users[1]];
            } else if (raw.users !== undefined) {
                throw new StepFailure(`${label}: field "users" is only valid with strategy alternating`);
            }
            return { kind, raw, data };
        }
        case "random": {
            const length = optionalInteger(raw, "length", label, 64, 32, 4096);
            const encoding = optionalEnum(raw, "encoding", label, RANDOM_ENCODINGS, "base64url");
            if (encoding === "base64" && length % 4 !== 0) {
                throw new StepFailure(
                    `${label}: field "length" must be a multiple of 4 for base64 (no padding inside the value)`,
                );
            }
            return { kind, raw, data: { value: requireString(raw, "value", label), length, encoding } };
        }
        case "redis-auth":
            return {
                kind,
                raw,
                data: {
                    replicationGroupId: requireString(raw, "replicationGroupId", label),
                    token: requireString(raw, "token", label),
                    length: optionalInteger(raw, "length", label, 64, 32, 128),
                },
            };
    }
}
