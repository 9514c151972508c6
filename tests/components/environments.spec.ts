import { strict as assert } from "assert";
import { ofType, renderedStack, resources } from "../support/plan";

/**
 * Resource types only production declares, because they serve disaster recovery across regions (DR-1,
 * BKP-1): the DR-region copy of backups and media, and the vault lock. Everything else prod has, staging has.
 */
export const DR_ONLY_TYPES: readonly string[] = [
    "aws:rds/instanceAutomatedBackupsReplication:InstanceAutomatedBackupsReplication",
    "aws:s3/bucketReplicationConfig:BucketReplicationConfig",
    "aws:backup/vaultLockConfiguration:VaultLockConfiguration",
    "bookbuddy:dr:BucketReplica",
    "bookbuddy:dr:DatabaseBackupReplication",
];

const typesOf = async (stack: string): Promise<Set<string>> => new Set(resources(await renderedStack(stack)).map((r) => r.type));

describe("environments (ENV-2, ENV-3, ENV-4)", function () {
    this.timeout(300_000);

    it("ENV-2: staging declares every resource type prod declares, except the DR-only ones", async () => {
        // One render at a time: the SDK's mock runtime is process-wide.
        const prod = await typesOf("prod");
        const staging = await typesOf("staging");
        const missing = [...prod].filter((t) => !staging.has(t) && !DR_ONLY_TYPES.includes(t)).sort();
        assert.deepEqual(missing, [], `staging lacks resource types prod has: ${missing.join(", ")}`);
    });

    it("ENV-2: the DR-only exception list names nothing staging has too (a stale entry hides a difference)", async () => {
        const staging = await typesOf("staging");
        assert.deepEqual(
            DR_ONLY_TYPES.filter((t) => staging.has(t)),
            [],
        );
    });

    it("ENV-3/ENV-4: prod and staging keep the HA data shape; dev is single-AZ", async () => {
        for (const stack of ["prod", "staging"]) {
            const doc = await renderedStack(stack);
            assert.equal(ofType(doc, "aws:rds/instance:Instance")[0].inputs.multiAz, true, `${stack} PostgreSQL Multi-AZ`);
            const cache = ofType(doc, "aws:elasticache/replicationGroup:ReplicationGroup")[0].inputs;
            assert.equal(cache.automaticFailoverEnabled, true, `${stack} cache failover`);
            assert.equal(cache.multiAzEnabled, true, `${stack} cache Multi-AZ`);
        }
        const dev = await renderedStack("dev");
        assert.equal(ofType(dev, "aws:rds/instance:Instance")[0].inputs.multiAz, false);
        assert.equal(ofType(dev, "aws:elasticache/replicationGroup:ReplicationGroup")[0].inputs.numCacheClusters, 1);
    });

    it("ENV-2: staging is smaller than prod (instance classes and cache replicas differ)", async () => {
        const prod = await renderedStack("prod");
        const staging = await renderedStack("staging");
        const cls = (d: typeof prod) => ofType(d, "aws:rds/instance:Instance")[0].inputs.instanceClass;
        const nodes = (d: typeof prod) =>
            ofType(d, "aws:elasticache/replicationGroup:ReplicationGroup")[0].inputs.numCacheClusters as number;
        assert.notEqual(cls(staging), cls(prod));
        assert.ok(nodes(staging) < nodes(prod));
    });
});
