/**
 * Prod keeps its data (STORE-1, BKP-1, SEC-1, SEC-3, SEC-5): in every stack whose `protection.protect` is on
 * (staging and prod by default; dev turns it off for teardown), every KMS key, S3 bucket, backup vault and
 * Secrets Manager secret carries Pulumi's `protect` option, so `pulumi destroy` or a replacing change stops
 * before it. The audit-trail bucket has S3 Object Lock with the stack's mode and retention.
 */
import { strict as assert } from "assert";
import { readProject, readStackConfig } from "../../tools/plan/render";
import { parseStackConfig } from "../../infra/config";
import { PROTECTED_TYPES } from "../../infra/protection";
import { nameOf, ofType, one, renderedStack, REPO_ROOT, resources, STACKS } from "../support/plan";

function configOf(stack: string) {
    const { config, secretKeys } = readStackConfig(REPO_ROOT, readProject(REPO_ROOT), stack);
    return parseStackConfig(stack, config, new Set(secretKeys));
}

describe("STORE-1 BKP-1 SEC-1 SEC-3 data resources are protected where the stack says so", function () {
    this.timeout(600_000);

    it("the stacks say: prod and staging protect, dev does not; prod locks the audit trail in compliance mode", () => {
        assert.equal(configOf("prod").protection.protect, true);
        assert.equal(configOf("staging").protection.protect, true);
        assert.equal(configOf("dev").protection.protect, false);
        assert.equal(configOf("prod").audit.objectLockMode, "COMPLIANCE");
    });

    for (const stack of STACKS) {
        it(`${stack}: keys, buckets, vaults and secrets are protected exactly when protection.protect is on`, async () => {
            const want = configOf(stack).protection.protect;
            const doc = await renderedStack(stack);
            for (const type of PROTECTED_TYPES) {
                const found = ofType(doc, type);
                assert.ok(found.length > 0, `${stack} has resources of ${type}`);
                const wrong = found.filter((r) => (r.protect === true) !== want).map(nameOf);
                assert.deepEqual(wrong, [], `${type} with protect ≠ ${want} in ${stack}`);
            }
            // Nothing else is protected by this switch (companions such as bucket policies stay changeable); the database
            // instance and the DNS zone carry their own protect (database.protect, the zone component).
            const others = resources(doc).filter(
                (r) =>
                    r.protect === true &&
                    !PROTECTED_TYPES.includes(r.type) &&
                    !["aws:rds/instance:Instance", "aws:route53/zone:Zone"].includes(r.type),
            );
            assert.deepEqual(
                others.map((r) => `${r.type} ${nameOf(r)}`),
                [],
            );
        });

        it(`${stack}: the audit-trail bucket has Object Lock with the configured mode and days`, async () => {
            const cfg = configOf(stack).audit;
            const doc = await renderedStack(stack);
            const bucket = one(doc, "aws:s3/bucket:Bucket", `bookbuddy-${stack}-audit-trail`);
            const locks = ofType(doc, "aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration");
            if (cfg.objectLockMode === "none") {
                assert.notEqual(bucket.inputs.objectLockEnabled, true);
                assert.equal(locks.length, 0);
                return;
            }
            assert.equal(bucket.inputs.objectLockEnabled, true, "object lock is enabled at creation");
            const lock = one(
                doc,
                "aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration",
                `bookbuddy-${stack}-audit-trail`,
            );
            assert.ok((lock.propertyDependencies.bucket ?? []).includes(bucket.urn));
            assert.deepEqual(lock.inputs.rule, { defaultRetention: { mode: cfg.objectLockMode, days: cfg.objectLockDays } });
            assert.ok(cfg.objectLockDays <= cfg.trailRetentionDays, "objects are not kept locked beyond their lifecycle");
        });
    }
});
