/**
 * Rotation of an ElastiCache replication group's AUTH token without downtime (SEC-1, CACHE-1).
 *
 * createSecret draws a token within ElastiCache's rules. setSecret calls ModifyReplicationGroup with
 * AuthTokenUpdateStrategy ROTATE and ApplyImmediately: the group then accepts both the old and the new
 * token, so clients keep working while they pick up the new AWSCURRENT. The old token stops working at
 * the next ROTATE (ElastiCache keeps at most two tokens and drops the older one) or when an operator
 * applies the SET strategy with the new token (emergency rotation, docs/secret-rotation.md).
 * testSecret waits until the group is `available` again with no AUTH change pending, then authenticates
 * with the pending token at the group's primary endpoint (the function's security group reaches 6379).
 *
 * Whether the pending token is already in force is decided by the server, never by timestamps: setSecret
 * sends AUTH with the pending token first and rotates only when the server rejects it, so a retried
 * step neither rotates twice (which would push out the token clients still use) nor skips a rotation
 * that did not happen (which would publish a token the server rejects).
 */
import {
    DescribeReplicationGroupsCommand,
    ModifyReplicationGroupCommand,
    type ReplicationGroup,
} from "@aws-sdk/client-elasticache";
import { readFileSync } from "node:fs";
import { randomPassword, type StepContext } from "../context";
import { StepFailure, describeCause } from "../errors";
import { tryAuth, type AuthOutcome, type RedisEndpoint } from "../resp";
import type { RedisAuthSecret } from "../secret";

/**
 * Punctuation ElastiCache accepts in AUTH tokens is limited to ! & # $ ^ < > -; the token is drawn
 * from letters, digits and ! $ ^ < > - (leaving out # and &, which break redis:// URLs and shells).
 */
const ALLOWED_PUNCTUATION = "!$^<>-";
/** Every printable ASCII punctuation character outside the allowed set, for GetRandomPassword. */
export const REDIS_EXCLUDED_CHARACTERS = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~"
    .split("")
    .filter((c) => !ALLOWED_PUNCTUATION.includes(c))
    .join("");

/** ElastiCache's AUTH token rules (16-128 printable characters, restricted punctuation, never @ " /). */
export function checkRedisToken(token: string): void {
    if (token.length < 16 || token.length > 128) {
        throw new StepFailure(`the AUTH token has ${token.length} characters; ElastiCache requires 16 to 128`);
    }
    if (!/^[A-Za-z0-9!&#$^<>-]+$/.test(token)) {
        throw new StepFailure("the AUTH token contains characters ElastiCache does not accept");
    }
}

async function describeGroup(ctx: StepContext, replicationGroupId: string): Promise<ReplicationGroup> {
    let groups: ReplicationGroup[] | undefined;
    try {
        groups = (
            await ctx.deps.elasticache.send(new DescribeReplicationGroupsCommand({ ReplicationGroupId: replicationGroupId }))
        ).ReplicationGroups;
    } catch (error) {
        const cause = describeCause(error);
        throw new StepFailure(
            `cannot describe replication group ${replicationGroupId}: ${cause.message}`,
            cause.name,
            cause.code,
        );
    }
    const group = groups?.find((g) => g.ReplicationGroupId === replicationGroupId);
    if (!group) throw new StepFailure(`replication group ${replicationGroupId} was not found`);
    return group;
}

/** createSecret: a new token for the same replication group. */
export async function createRedis(
    ctx: StepContext,
    current: RedisAuthSecret,
    raw: Record<string, unknown>,
): Promise<Record<string, unknown>> {
    const token = await randomPassword(ctx, {
        PasswordLength: current.length,
        ExcludeCharacters: REDIS_EXCLUDED_CHARACTERS,
        RequireEachIncludedType: true,
    });
    checkRedisToken(token);
    return { ...raw, token };
}

/** The primary endpoint of a group (cluster mode off) or its configuration endpoint (cluster mode on). */
function endpointOf(ctx: StepContext, group: ReplicationGroup): RedisEndpoint {
    const id = group.ReplicationGroupId ?? "unknown";
    const ep = group.ConfigurationEndpoint ?? group.NodeGroups?.[0]?.PrimaryEndpoint;
    if (!ep?.Address || !ep.Port) throw new StepFailure(`replication group ${id} reports no primary endpoint`);
    let ca: string | undefined;
    if (ctx.deps.redis.caBundlePath) {
        try {
            ca = readFileSync(ctx.deps.redis.caBundlePath, "utf8");
        } catch {
            throw new StepFailure(`the cache CA bundle ${ctx.deps.redis.caBundlePath} cannot be read`);
        }
    }
    return {
        host: ep.Address,
        port: ep.Port,
        tls: group.TransitEncryptionEnabled === true,
        timeoutMs: ctx.deps.redis.timeoutMs,
        ca,
    };
}

/** Sends AUTH with `token` to the group; the outcome says whether the server knows the token. */
async function authOutcome(ctx: StepContext, group: ReplicationGroup, token: string): Promise<AuthOutcome> {
    return tryAuth(endpointOf(ctx, group), token);
}

/**
 * setSecret: adds the pending token with the ROTATE strategy, unless the server already accepts it (an
 * earlier attempt of this step applied it): rotating again would push out the token clients still use.
 */
export async function setRedis(ctx: StepContext, current: RedisAuthSecret, pending: RedisAuthSecret): Promise<void> {
    if (pending.replicationGroupId !== current.replicationGroupId) {
        throw new StepFailure("AWSPENDING names a different replication group than AWSCURRENT");
    }
    checkRedisToken(pending.token);
    const id = pending.replicationGroupId;
    const group = await describeGroup(ctx, id);
    if (group.TransitEncryptionEnabled !== true || group.AuthTokenEnabled !== true) {
        throw new StepFailure(`replication group ${id} must have in-transit encryption and an AUTH token enabled`);
    }
    if (group.Status !== "available" || group.PendingModifiedValues?.AuthTokenStatus) {
        throw new StepFailure(
            `replication group ${id} is ${group.Status ?? "in an unknown state"}${group.PendingModifiedValues?.AuthTokenStatus ? ` with AUTH ${group.PendingModifiedValues.AuthTokenStatus}` : ""}; the step will be retried`,
        );
    }
    if ((await authOutcome(ctx, group, pending.token)) === "accepted") {
        ctx.log.info("the group already accepts the pending AUTH token; not rotating again", { replicationGroupId: id });
        return;
    }
    try {
        await ctx.deps.elasticache.send(
            new ModifyReplicationGroupCommand({
                ReplicationGroupId: id,
                AuthToken: pending.token,
                AuthTokenUpdateStrategy: "ROTATE",
                ApplyImmediately: true,
            }),
        );
    } catch (error) {
        const cause = describeCause(error);
        throw new StepFailure(`ModifyReplicationGroup on ${id} failed: ${cause.message}`, cause.name, cause.code);
    }
    ctx.log.info("AUTH token rotation started; old and new tokens are both accepted", {
        replicationGroupId: id,
        strategy: "ROTATE",
    });
}

/** testSecret: the group is `available` again with no AUTH change pending, and accepts the pending token. */
export async function testRedis(ctx: StepContext, pending: RedisAuthSecret): Promise<void> {
    checkRedisToken(pending.token);
    const { attempts, intervalMs } = ctx.deps.redisWait;
    let status = "unknown";
    for (let attempt = 1; attempt <= attempts; attempt++) {
        const group = await describeGroup(ctx, pending.replicationGroupId);
        const authPending = group.PendingModifiedValues?.AuthTokenStatus;
        status = group.Status ?? "unknown";
        if (status === "available" && !authPending) {
            if ((await authOutcome(ctx, group, pending.token)) !== "accepted") {
                throw new StepFailure(
                    `replication group ${pending.replicationGroupId} rejects the AWSPENDING token; setSecret has not applied it`,
                );
            }
            ctx.log.info("the replication group accepts the new AUTH token", {
                replicationGroupId: pending.replicationGroupId,
                attempt,
            });
            return;
        }
        ctx.log.info("waiting for the replication group", {
            replicationGroupId: pending.replicationGroupId,
            status,
            authTokenStatus: authPending,
            attempt,
        });
        if (attempt < attempts) await ctx.deps.sleep(intervalMs);
    }
    throw new StepFailure(`replication group ${pending.replicationGroupId} is still ${status} after ${attempts} checks`);
}
