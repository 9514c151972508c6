/**
 * What the rotation function's role may do, per kind of secret (SEC-1, SEC-4). The infrastructure
 * component turns these into one least-privilege policy per function: each permission names the
 * resource it applies to symbolically, and the component substitutes the ARNs it owns.
 */
import type { RotationKind } from "./src/secret";

/**
 * Which resources a permission covers:
 * - rotatedSecrets: the ARNs of the secrets this function rotates (never `*`);
 * - secretsKey: the customer-managed KMS key of those secrets;
 * - replicationGroup: the ElastiCache replication groups whose AUTH tokens are rotated;
 * - any: `*`, only for actions that support no resource-level permission (GetRandomPassword).
 */
export type RotationResource = "rotatedSecrets" | "secretsKey" | "replicationGroup" | "any";

/** One policy statement's worth of permission. */
export interface RotationPermission {
    /** Statement id. */
    sid: string;
    /** IAM actions, fully qualified. */
    actions: string[];
    /** Resource the actions apply to. */
    resource: RotationResource;
    /**
     * For the KMS key: restrict use to calls made through Secrets Manager in the function's region
     * (condition kms:ViaService = secretsmanager.<region>.amazonaws.com).
     */
    viaSecretsManager?: boolean;
}

/** Needed by every kind: read and stage the secret, draw random values, decrypt and encrypt with its key. */
const COMMON: RotationPermission[] = [
    {
        sid: "RotateOwnSecrets",
        actions: [
            "secretsmanager:DescribeSecret",
            "secretsmanager:GetSecretValue",
            "secretsmanager:PutSecretValue",
            "secretsmanager:UpdateSecretVersionStage",
        ],
        resource: "rotatedSecrets",
    },
    { sid: "DrawRandomValues", actions: ["secretsmanager:GetRandomPassword"], resource: "any" },
    { sid: "UseSecretsKey", actions: ["kms:Decrypt", "kms:GenerateDataKey"], resource: "secretsKey", viaSecretsManager: true },
];

/** Extra permissions per kind: PostgreSQL and random values need none beyond the common set. */
const BY_KIND: Record<RotationKind, RotationPermission[]> = {
    "postgres-user": [],
    random: [],
    "redis-auth": [
        {
            sid: "RotateRedisAuthToken",
            actions: ["elasticache:ModifyReplicationGroup", "elasticache:DescribeReplicationGroups"],
            resource: "replicationGroup",
        },
    ],
};

/** The permissions a function rotating secrets of `kinds` needs, each statement once. */
export function rotationPermissions(kinds: readonly RotationKind[]): RotationPermission[] {
    const out = COMMON.map((p) => ({ ...p, actions: [...p.actions] }));
    for (const kind of [...new Set(kinds)]) {
        for (const p of BY_KIND[kind]) {
            if (!out.some((q) => q.sid === p.sid)) out.push({ ...p, actions: [...p.actions] });
        }
    }
    return out;
}

/** The IAM actions per kind, flat (for documentation and policy checks). */
export const ROTATION_ACTIONS: Record<RotationKind, string[]> = {
    "postgres-user": rotationPermissions(["postgres-user"]).flatMap((p) => p.actions),
    random: rotationPermissions(["random"]).flatMap((p) => p.actions),
    "redis-auth": rotationPermissions(["redis-auth"]).flatMap((p) => p.actions),
};
