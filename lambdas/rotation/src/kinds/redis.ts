/**
 * Rotation of an ElastiCache replication group's AUTH token without downtime (SEC-1, CACHE-1).
 *
 * createSecret draws a token within ElastiCache's rules. setSecret calls ModifyReplicationGroup with
 * AuthTokenUpdateStrategy ROTATE and ApplyImmediately: the group then accepts both the old and the new
 * token, so clients keep working while they pick up the new AWSCURRENT. The old token stops working at
 * the next ROTATE (ElastiCache keeps at most two tokens and drops the older one) or when an operator
 * applies the SET strategy with the new token (emergency rotation, docs/secret-rotation.md).
 * testSecret waits until the group is `available` again with no AUTH change pending.
 */
import {
  DescribeReplicationGroupsCommand,
  ModifyReplicationGroupCommand,
  type ReplicationGroup,
} from "@aws-sdk/client-elasticache";
import { randomPassword, type StepContext } from "../context";
import { StepFailure, describeCause } from "../errors";
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
    groups = (await ctx.deps.elasticache.send(new DescribeReplicationGroupsCommand({ ReplicationGroupId: replicationGroupId })))
      .ReplicationGroups;
  } catch (error) {
    const cause = describeCause(error);
    throw new StepFailure(`cannot describe replication group ${replicationGroupId}: ${cause.message}`, cause.name, cause.code);
  }
  const group = groups?.find((g) => g.ReplicationGroupId === replicationGroupId);
  if (!group) throw new StepFailure(`replication group ${replicationGroupId} was not found`);
  return group;
}

/** createSecret: a new token for the same replication group. */
export async function createRedis(ctx: StepContext, current: RedisAuthSecret, raw: Record<string, unknown>): Promise<Record<string, unknown>> {
  const token = await randomPassword(ctx, {
    PasswordLength: current.length,
    ExcludeCharacters: REDIS_EXCLUDED_CHARACTERS,
    RequireEachIncludedType: true,
  });
  checkRedisToken(token);
  return { ...raw, token };
}

/**
 * setSecret: adds the pending token with the ROTATE strategy. When the group's AUTH token changed after
 * the pending version was created, an earlier attempt of this step already applied it, and the step
 * does not rotate a second time (that would push the old token out before clients have switched).
 */
export async function setRedis(ctx: StepContext, current: RedisAuthSecret, pending: RedisAuthSecret, pendingCreated: Date | undefined): Promise<void> {
  if (pending.replicationGroupId !== current.replicationGroupId) {
    throw new StepFailure("AWSPENDING names a different replication group than AWSCURRENT");
  }
  checkRedisToken(pending.token);
  const id = pending.replicationGroupId;
  const group = await describeGroup(ctx, id);
  if (group.TransitEncryptionEnabled !== true || group.AuthTokenEnabled !== true) {
    throw new StepFailure(`replication group ${id} must have in-transit encryption and an AUTH token enabled`);
  }
  const lastChange = group.AuthTokenLastModifiedDate;
  if (pendingCreated && lastChange && lastChange.getTime() >= pendingCreated.getTime()) {
    ctx.log.info("AUTH token already changed after the pending version was created; not rotating again", {
      replicationGroupId: id,
      authTokenLastModified: lastChange.toISOString(),
    });
    return;
  }
  if (group.Status !== "available") {
    throw new StepFailure(`replication group ${id} is ${group.Status ?? "in an unknown state"}; the step will be retried`);
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
  ctx.log.info("AUTH token rotation started; old and new tokens are both accepted", { replicationGroupId: id, strategy: "ROTATE" });
}

/** testSecret: the group is `available` again with no AUTH change pending. */
export async function testRedis(ctx: StepContext, pending: RedisAuthSecret): Promise<void> {
  checkRedisToken(pending.token);
  const { attempts, intervalMs } = ctx.deps.redisWait;
  let status = "unknown";
  for (let attempt = 1; attempt <= attempts; attempt++) {
    const group = await describeGroup(ctx, pending.replicationGroupId);
    const authPending = group.PendingModifiedValues?.AuthTokenStatus;
    status = group.Status ?? "unknown";
    if (status === "available" && !authPending) {
      ctx.log.info("replication group is available with the new AUTH token", { replicationGroupId: pending.replicationGroupId, attempt });
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
