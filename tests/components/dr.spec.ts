import * as assert from "assert";
import * as aws from "@pulumi/aws";
import { BucketReplica, DatabaseBackupReplication } from "../../components/dr";
import { HardenedBucket } from "../../components/storage/bucket";
import { PlanDocument, PlanResourceState } from "../../tools/plan/types";
import { childrenOf, json, nameOf, one as oneOf, ofType as ofTypeOf, renderComponent, renderedStack } from "../support/plan";

/** Recorded resources with their inputs and outputs open for assertions. */
type Recorded = PlanResourceState & { inputs: any; outputs?: any };
const one = (doc: PlanDocument, type: string, name?: string | RegExp): Recorded => oneOf(doc, type, name) as Recorded;
const ofType = (doc: PlanDocument, type: string): Recorded[] => ofTypeOf(doc, type) as Recorded[];

const SRC_KEY = "arn:aws:kms:us-east-1:123456789012:key/11111111-2222-4333-8444-555555555555";
const DR_KEY = "arn:aws:kms:us-west-2:123456789012:key/99999999-2222-4333-8444-555555555555";
const T = {
    replication: "aws:rds/instanceAutomatedBackupsReplication:InstanceAutomatedBackupsReplication",
    bucket: "aws:s3/bucket:Bucket",
    hardened: "bookbuddy:storage:HardenedBucket",
    config: "aws:s3/bucketReplicationConfig:BucketReplicationConfig",
    versioning: "aws:s3/bucketVersioning:BucketVersioning",
    role: "aws:iam/role:Role",
    rolePolicy: "aws:iam/rolePolicy:RolePolicy",
};

describe("DatabaseBackupReplication (DR-1)", () => {
    it("replicates automated backups into the DR region with the DR key and retention", async () => {
        const doc = await renderComponent(() => {
            const dr = new aws.Provider("dr", { region: "us-west-2" });
            new DatabaseBackupReplication("pg-dr", {
                sourceDbInstanceArn: "arn:aws:rds:us-east-1:123456789012:db:bb",
                kmsKeyArn: DR_KEY,
                retentionDays: 14,
                drProvider: dr,
            });
        });
        const r = one(doc, T.replication);
        assert.deepStrictEqual(
            (({ sourceDbInstanceArn, kmsKeyId, retentionPeriod }) => ({ sourceDbInstanceArn, kmsKeyId, retentionPeriod }))(
                r.inputs,
            ),
            { sourceDbInstanceArn: "arn:aws:rds:us-east-1:123456789012:db:bb", kmsKeyId: DR_KEY, retentionPeriod: 14 },
        );
        assert.match(r.provider ?? "", /::dr::/);
    });

    it("rejects a retention RDS does not accept", () => {
        assert.throws(
            () =>
                new DatabaseBackupReplication("x", {
                    sourceDbInstanceArn: "a",
                    kmsKeyArn: DR_KEY,
                    retentionDays: 36,
                    drProvider: undefined as unknown as aws.Provider,
                }),
            /1-35/,
        );
    });
});

describe("BucketReplica (DR-1, STORE-1)", () => {
    let doc: PlanDocument;
    before(async () => {
        doc = await renderComponent(() => {
            const dr = new aws.Provider("dr", { region: "us-west-2" });
            const media = new HardenedBucket("media", {
                kmsKeyArn: SRC_KEY,
                dataClass: "primary",
                tags: { backup: "media" },
                accessLogBucket: "logs",
            });
            new BucketReplica("media-dr", {
                source: media,
                sourceKmsKeyArn: SRC_KEY,
                sourceRegion: "us-east-1",
                replicaKmsKeyArn: DR_KEY,
                drRegion: "us-west-2",
                drProvider: dr,
                accountId: "123456789012",
                replicationTimeControl: true,
            });
        });
    });

    it("creates a baseline replica bucket and its log bucket in the DR region, a role and the replication (DR-1)", () => {
        const component = one(doc, "bookbuddy:dr:BucketReplica");
        const kids = childrenOf(doc, component)
            .map((r) => `${r.type}::${nameOf(r)}`)
            .sort();
        assert.deepStrictEqual(
            kids,
            [
                `${T.hardened}::media-dr`,
                `${T.hardened}::media-dr-logs`,
                `${T.role}::media-dr`,
                `${T.rolePolicy}::media-dr`,
                `${T.config}::media-dr`,
            ].sort(),
        );
        for (const name of ["media-dr", "media-dr-logs"]) {
            const b = one(doc, T.bucket, name);
            assert.match(String(b.outputs?.arn), /^arn:aws:s3:::/);
            assert.strictEqual(b.outputs?.region, "us-west-2", `${name} is in the DR region`);
        }
        assert.strictEqual(
            one(doc, T.bucket, "media-dr").inputs.tags["data-class"],
            "backup",
            "the replica is not primary data, so AWS Backup does not select it",
        );
        assert.strictEqual(one(doc, T.bucket, "media-dr").inputs.tags.backup, undefined);
        assert.deepStrictEqual(
            one(doc, "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration", "media-dr").inputs
                .rules[0].applyServerSideEncryptionByDefault,
            { sseAlgorithm: "aws:kms", kmsMasterKeyId: DR_KEY },
        );
    });

    it("replicates every version and delete marker, re-encrypted with the DR key, with RTC when asked (DR-1)", () => {
        const c = one(doc, T.config);
        assert.strictEqual(c.inputs.bucket, one(doc, T.bucket, "media").outputs?.id);
        const rule = c.inputs.rules[0];
        assert.strictEqual(rule.status, "Enabled");
        assert.deepStrictEqual(rule.deleteMarkerReplication, { status: "Enabled" });
        assert.deepStrictEqual(rule.sourceSelectionCriteria, { sseKmsEncryptedObjects: { status: "Enabled" } });
        assert.strictEqual(rule.destination.bucket, one(doc, T.bucket, "media-dr").outputs?.arn);
        assert.deepStrictEqual(rule.destination.encryptionConfiguration, { replicaKmsKeyId: DR_KEY });
        assert.deepStrictEqual(rule.destination.replicationTime, { status: "Enabled", time: { minutes: 15 } });
        for (const v of ["media", "media-dr"])
            assert.ok(c.dependencies.includes(one(doc, T.versioning, v).urn), `waits for versioning of ${v}`);
    });

    it("gives the S3 replication role only the source, the replica and the two keys through S3 (DR-1, SEC-4)", () => {
        assert.deepStrictEqual(json(one(doc, T.role, "media-dr").inputs.assumeRolePolicy).Statement[0].Principal, {
            Service: "s3.amazonaws.com",
        });
        const statements = json(one(doc, T.rolePolicy, "media-dr").inputs.policy).Statement;
        const src = one(doc, T.bucket, "media").outputs?.arn;
        const dst = one(doc, T.bucket, "media-dr").outputs?.arn;
        const bySid = Object.fromEntries(statements.map((s: any) => [s.Sid, s]));
        assert.strictEqual(bySid.ReadReplicationConfiguration.Resource, src);
        assert.strictEqual(bySid.ReadSourceVersions.Resource, `${src}/*`);
        assert.strictEqual(bySid.WriteReplicas.Resource, `${dst}/*`);
        assert.deepStrictEqual(bySid.DecryptSource.Condition, {
            StringEquals: { "kms:ViaService": "s3.us-east-1.amazonaws.com" },
        });
        assert.deepStrictEqual(bySid.EncryptReplica.Condition, {
            StringEquals: { "kms:ViaService": "s3.us-west-2.amazonaws.com" },
        });
        for (const s of statements)
            assert.ok(!String(s.Resource).includes("*") || String(s.Resource).endsWith("/*"), `${s.Sid} names its resources`);
    });
});

describe("Stacks: DR copies (DR-1, ENV-4)", () => {
    it("prod replicates RDS automated backups and media into the DR region under a DR-region key", async () => {
        const doc = await renderedStack("prod");
        const r = one(doc, T.replication);
        assert.strictEqual(r.inputs.sourceDbInstanceArn, one(doc, "aws:rds/instance:Instance").outputs?.arn);
        assert.match(String(r.inputs.kmsKeyId), /^arn:aws:kms:us-west-2:/);
        assert.strictEqual(r.inputs.retentionPeriod, 7);
        const c = one(doc, T.config);
        assert.strictEqual(c.inputs.bucket, one(doc, T.bucket, /-media$/).outputs?.id);
        assert.strictEqual(one(doc, T.bucket, /-media-dr$/).outputs?.region, "us-west-2");
        assert.match(String(c.inputs.rules[0].destination.encryptionConfiguration.replicaKmsKeyId), /^arn:aws:kms:us-west-2:/);
    });

    it("dev and staging create nothing in the DR region", async () => {
        for (const stack of ["dev", "staging"]) {
            const doc = await renderedStack(stack);
            for (const t of [T.replication, T.config]) assert.strictEqual(ofType(doc, t).length, 0, `${stack} ${t}`);
            assert.strictEqual(
                ofType(doc, "aws:kms/key:Key").filter((k) => String(k.outputs?.arn).includes(":us-west-2:")).length,
                0,
                stack,
            );
        }
    });
});
