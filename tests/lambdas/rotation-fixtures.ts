/**
 * Shared set-up for the rotation function's tests (SEC-1): AWS SDK v3 clients mocked with
 * aws-sdk-client-mock, a logger whose lines are captured, and a secret whose versions and staging
 * labels live in memory behind the mocked Secrets Manager commands, so a test can run the four steps
 * in order and inspect the commands and the resulting labels.
 */
import * as assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { RotationError } from "../../lambdas/rotation/src/index";
import { ElastiCacheClient } from "@aws-sdk/client-elasticache";
import {
    DescribeSecretCommand,
    GetRandomPasswordCommand,
    GetSecretValueCommand,
    PutSecretValueCommand,
    ResourceNotFoundException,
    SecretsManagerClient,
    UpdateSecretVersionStageCommand,
    type GetRandomPasswordCommandInput,
    type SecretsManagerClientResolvedConfig,
    type ServiceInputTypes,
    type ServiceOutputTypes,
} from "@aws-sdk/client-secrets-manager";
import type { AwsStub } from "aws-sdk-client-mock";
import { Logger } from "../../lambdas/rotation/src/log";
import type { RotationDeps } from "../../lambdas/rotation/src/context";

export const SECRET_ARN = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:bookbuddy/prod/app-db-AbCdEf";
export const CURRENT_VERSION = "11111111-1111-4111-8111-111111111111";
export const TOKEN = "22222222-2222-4222-8222-222222222222";

/** The mocked Secrets Manager, created by each spec in `before` and restored in `after`. */
export type SecretsMock = AwsStub<ServiceInputTypes, ServiceOutputTypes, SecretsManagerClientResolvedConfig>;

/** Dependencies with mocked clients, a capturing logger and a sleep that only records its calls. */
export function makeDeps(overrides: Partial<RotationDeps> = {}): { deps: RotationDeps; lines: string[]; sleeps: number[] } {
    const lines: string[] = [];
    const sleeps: number[] = [];
    const deps: RotationDeps = {
        secrets: new SecretsManagerClient({ region: "eu-west-1" }),
        elasticache: new ElastiCacheClient({ region: "eu-west-1" }),
        logger: Logger.create((line) => lines.push(line)),
        postgres: { allowPlaintext: false, caBundlePath: "/nonexistent/rds-ca.pem", timeoutMs: 5000 },
        redisWait: { attempts: 3, intervalMs: 1000 },
        redis: { timeoutMs: 2000 },
        sleep: async (ms) => {
            sleeps.push(ms);
        },
        ...overrides,
    };
    return { deps, lines, sleeps };
}

/** Characters GetRandomPassword draws from (letters, digits, punctuation), minus the excluded ones. */
function alphabet(input: GetRandomPasswordCommandInput): string[] {
    const letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    const punctuation = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~";
    const all = (letters + (input.ExcludePunctuation ? "" : punctuation)).split("");
    return all.filter((c) => !(input.ExcludeCharacters ?? "").includes(c));
}

/** A GetRandomPassword response honouring length and exclusions, as the service would. */
export function fakeRandomPassword(input: GetRandomPasswordCommandInput): { RandomPassword: string } {
    const chars = alphabet(input);
    const length = input.PasswordLength ?? 32;
    const bytes = randomBytes(length);
    let out = "";
    for (let i = 0; i < length; i++) out += chars[bytes[i]! % chars.length];
    return { RandomPassword: out };
}

/** An in-memory secret: versions with values and staging labels. */
export class SecretState {
    readonly values = new Map<string, { text: string; created: Date }>();
    readonly stages = new Map<string, string[]>();
    rotationEnabled = true;
    tags: { Key: string; Value: string }[] = [];

    constructor(
        private readonly smMock: SecretsMock,
        current: Record<string, unknown>,
    ) {
        this.values.set(CURRENT_VERSION, { text: JSON.stringify(current), created: new Date("2026-01-01T00:00:00Z") });
        this.stages.set(CURRENT_VERSION, ["AWSCURRENT"]);
        // RotateSecret labels the new version AWSPENDING before createSecret runs.
        this.stages.set(TOKEN, ["AWSPENDING"]);
    }

    /** The parsed value of a version. */
    json(version: string): Record<string, unknown> {
        const v = this.values.get(version);
        if (!v) throw new Error(`no value for ${version}`);
        return JSON.parse(v.text) as Record<string, unknown>;
    }

    /** Wires the mocked Secrets Manager to this state. */
    install(): void {
        this.smMock.on(DescribeSecretCommand).callsFake(() => ({
            ARN: SECRET_ARN,
            RotationEnabled: this.rotationEnabled,
            Tags: this.tags,
            VersionIdsToStages: Object.fromEntries([...this.stages].map(([id, labels]) => [id, [...labels]])),
        }));
        this.smMock.on(GetSecretValueCommand).callsFake((input: { VersionId?: string; VersionStage?: string }) => {
            const id =
                input.VersionId ??
                [...this.stages].find(([, labels]) => labels.includes(input.VersionStage ?? "AWSCURRENT"))?.[0];
            const labels = id ? this.stages.get(id) : undefined;
            const value = id ? this.values.get(id) : undefined;
            if (!id || !value || (input.VersionStage && !labels?.includes(input.VersionStage))) {
                throw new ResourceNotFoundException({
                    message: "Secrets Manager can't find the specified secret value",
                    $metadata: {},
                });
            }
            return {
                ARN: SECRET_ARN,
                VersionId: id,
                SecretString: value.text,
                VersionStages: labels,
                CreatedDate: value.created,
            };
        });
        this.smMock
            .on(PutSecretValueCommand)
            .callsFake((input: { ClientRequestToken: string; SecretString: string; VersionStages: string[] }) => {
                this.values.set(input.ClientRequestToken, { text: input.SecretString, created: new Date() });
                const labels = this.stages.get(input.ClientRequestToken) ?? [];
                this.stages.set(input.ClientRequestToken, [...new Set([...labels, ...input.VersionStages])]);
                return { ARN: SECRET_ARN, VersionId: input.ClientRequestToken };
            });
        this.smMock
            .on(UpdateSecretVersionStageCommand)
            .callsFake((input: { VersionStage: string; MoveToVersionId?: string; RemoveFromVersionId?: string }) => {
                const holder = [...this.stages].find(([, labels]) => labels.includes(input.VersionStage))?.[0];
                if (holder && holder !== input.MoveToVersionId && holder !== input.RemoveFromVersionId) {
                    throw new Error(`the label ${input.VersionStage} is attached to ${holder}; RemoveFromVersionId must name it`);
                }
                if (input.RemoveFromVersionId) {
                    const labels = this.stages.get(input.RemoveFromVersionId) ?? [];
                    this.stages.set(
                        input.RemoveFromVersionId,
                        labels.filter((l) => l !== input.VersionStage),
                    );
                    // Secrets Manager moves AWSPREVIOUS to the version that loses AWSCURRENT.
                    if (input.VersionStage === "AWSCURRENT") {
                        for (const [id, l] of this.stages)
                            this.stages.set(
                                id,
                                l.filter((x) => x !== "AWSPREVIOUS"),
                            );
                        this.stages.set(input.RemoveFromVersionId, [
                            ...this.stages.get(input.RemoveFromVersionId)!,
                            "AWSPREVIOUS",
                        ]);
                    }
                }
                if (input.MoveToVersionId) {
                    const labels = this.stages.get(input.MoveToVersionId) ?? [];
                    this.stages.set(input.MoveToVersionId, [...new Set([...labels, input.VersionStage])]);
                }
                return { ARN: SECRET_ARN };
            });
        this.smMock.on(GetRandomPasswordCommand).callsFake((input: GetRandomPasswordCommandInput) => fakeRandomPassword(input));
    }
}

/** Every captured line must be JSON with a level and message; returns them parsed. */
export function parseLines(lines: string[]): Record<string, unknown>[] {
    return lines.map((line) => {
        const parsed = JSON.parse(line) as Record<string, unknown>;
        if (typeof parsed.level !== "string" || typeof parsed.message !== "string") throw new Error(`not a log line: ${line}`);
        return parsed;
    });
}

/** Fails when any of `secrets` appears in any captured line. */
export function assertNoSecretLogged(lines: string[], secrets: string[]): void {
    const joined = lines.join("\n");
    for (const secret of secrets) {
        if (secret && joined.includes(secret)) throw new Error("a secret value appears in the log output");
    }
}

/** A rotation event for one step of the shared secret and token. */
export function event(step: string, token = TOKEN): { SecretId: string; ClientRequestToken: string; Step: string } {
    return { SecretId: SECRET_ARN, ClientRequestToken: token, Step: step };
}

/** Runs a step and returns the RotationError it raised (fails when it succeeds). */
export async function expectFailure(run: Promise<void>, step: string, fragment: string): Promise<RotationError> {
    try {
        await run;
    } catch (error) {
        assert.ok(error instanceof RotationError, `expected a RotationError, got ${String(error)}`);
        assert.equal(error.step, step);
        assert.equal(error.secretArn, SECRET_ARN);
        assert.ok(error.message.includes(fragment), `message "${error.message}" should mention "${fragment}"`);
        assert.ok(error.message.startsWith(`${step} failed for ${SECRET_ARN}: `));
        return error;
    }
    assert.fail(`${step} should have failed with "${fragment}"`);
}
