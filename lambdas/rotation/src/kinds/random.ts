/**
 * Rotation of plain random values: the JWT signing secret and generated API keys (SEC-1).
 *
 * createSecret draws a new value of the configured length and encoding; setSecret has nothing to
 * change outside Secrets Manager; testSecret checks that the pending value has the declared length
 * and alphabet. A secret whose JSON has a `previous` field (the JWT signing secret) keeps the value it
 * replaces there: AWSCURRENT then carries both the value AWSPREVIOUS holds and the new one, so one
 * ExternalSecret gives verifiers both keys during the overlap (docs/secret-rotation.md).
 */
import { randomBytes } from "node:crypto";
import { randomPassword, type StepContext } from "../context";
import { StepFailure } from "../errors";
import type { RandomEncoding, RandomSecret } from "../secret";

/** The alphabet of each encoding, as a whole-string check. */
const ALPHABETS: Record<RandomEncoding, RegExp> = {
    base64url: /^[A-Za-z0-9_-]+$/,
    base64: /^[A-Za-z0-9+/]+$/,
    hex: /^[0-9a-f]+$/,
    alphanumeric: /^[A-Za-z0-9]+$/,
};

/** Draws `length` characters of `encoding` from the CSPRNG (alphanumeric from Secrets Manager). */
export async function generateRandomValue(ctx: StepContext, length: number, encoding: RandomEncoding): Promise<string> {
    let value: string;
    switch (encoding) {
        case "alphanumeric":
            return randomPassword(ctx, { PasswordLength: length, ExcludePunctuation: true, RequireEachIncludedType: true });
        case "hex":
            value = randomBytes(Math.ceil(length / 2))
                .toString("hex")
                .slice(0, length);
            break;
        case "base64":
            // length is a multiple of 4, so 3/4 of it in bytes encodes to exactly `length` characters, no padding.
            value = randomBytes((length / 4) * 3).toString("base64");
            break;
        case "base64url":
            value = randomBytes(Math.ceil((length * 3) / 4))
                .toString("base64url")
                .slice(0, length);
            break;
    }
    ctx.log.protect(value);
    return value;
}

/** Checks a value against the declared length and encoding, without quoting it. */
export function checkRandomValue(value: string, length: number, encoding: RandomEncoding): void {
    if (value.length !== length) {
        throw new StepFailure(`the pending value has ${value.length} characters, expected ${length}`);
    }
    if (!ALPHABETS[encoding].test(value)) {
        throw new StepFailure(`the pending value is not ${encoding}`);
    }
}

/** createSecret: a new value with the current settings. */
export async function createRandom(
    ctx: StepContext,
    current: RandomSecret,
    raw: Record<string, unknown>,
): Promise<Record<string, unknown>> {
    const value = await generateRandomValue(ctx, current.length, current.encoding);
    if (typeof raw.previous === "string") return { ...raw, value, previous: current.value };
    return { ...raw, value };
}

/** setSecret: nothing outside Secrets Manager holds the value. */
export async function setRandom(ctx: StepContext): Promise<void> {
    ctx.log.info("nothing to set for a random value");
}

/** testSecret: the pending value has the configured shape. */
export async function testRandom(ctx: StepContext, pending: RandomSecret): Promise<void> {
    checkRandomValue(pending.value, pending.length, pending.encoding);
    ctx.log.info("pending value has the configured length and encoding", { length: pending.length, encoding: pending.encoding });
}
