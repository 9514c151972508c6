import { strict as assert } from "assert";
import { AuditTrail, AuditTrailArgs, GUARDDUTY_FEATURES } from "../../components/audit";
import { EncryptionKey } from "../../components/shared/kms";
import { PlanDocument } from "../../tools/plan/types";
import { childrenOf, json, nameOf, one, ofType, renderComponent, renderedStack } from "../support/plan";

const CTX = { accountId: "123456789012", region: "us-east-1", partition: "aws" };
const TOPIC = "arn:aws:sns:us-east-1:123456789012:alerts";
const TRAIL_ARN = "arn:aws:cloudtrail:us-east-1:123456789012:trail/bb-test-audit";

function auditArgs(overrides: Partial<AuditTrailArgs> = {}): AuditTrailArgs {
    return {
        trailName: "bb-test-audit",
        bucketName: "bb-test-audit-trail",
        accessLogBucket: "bb-test-access-logs",
        logsKeyArn: "arn:aws:kms:us-east-1:123456789012:key/logs",
        alertTopicArn: TOPIC,
        context: CTX,
        ...overrides,
    };
}

const statements = (policy: unknown) => json<{ Statement: Record<string, any>[] }>(policy).Statement;

describe("AuditTrail (SEC-5)", () => {
    let doc: PlanDocument;
    before(async () => {
        doc = await renderComponent(() => new AuditTrail("audit", auditArgs()));
    });

    it("declares the key, bucket, trail, log delivery, detector with its features and the findings rule", () => {
        const types = childrenOf(doc, one(doc, "bookbuddy:security:AuditTrail"))
            .map((r) => r.type)
            .sort();
        assert.deepEqual(
            types,
            [
                "aws:cloudtrail/trail:Trail",
                "aws:cloudwatch/eventRule:EventRule",
                "aws:cloudwatch/eventTarget:EventTarget",
                "aws:cloudwatch/logGroup:LogGroup",
                ...GUARDDUTY_FEATURES.map(() => "aws:guardduty/detectorFeature:DetectorFeature"),
                "aws:guardduty/detector:Detector",
                "aws:iam/role:Role",
                "aws:iam/rolePolicy:RolePolicy",
                "bookbuddy:security:EncryptionKey",
                "bookbuddy:storage:HardenedBucket",
            ].sort(),
        );
    });

    it("records every region with log-file validation, encrypted with its own rotating key", () => {
        const t = one(doc, "aws:cloudtrail/trail:Trail").inputs;
        assert.deepEqual(
            [t.isMultiRegionTrail, t.includeGlobalServiceEvents, t.enableLogFileValidation, t.enableLogging],
            [true, true, true, true],
        );
        const key = one(doc, "aws:kms/key:Key");
        assert.equal(t.kmsKeyId, key.outputs?.arn ?? t.kmsKeyId);
        assert.match(String(t.kmsKeyId), /^arn:aws:kms:us-east-1:123456789012:key\//);
        assert.equal(key.inputs.enableKeyRotation, true);
        assert.equal(t.cloudWatchLogsGroupArn, "arn:aws:logs:us-east-1:123456789012:log-group:/aws/cloudtrail/bb-test-audit:*");
    });

    it("lets CloudTrail use the key only as this trail, within this account's encryption context (SEC-3)", () => {
        const st = statements(one(doc, "aws:kms/key:Key").inputs.policy);
        const encrypt = st.find(
            (s) => s.Principal?.Service === "cloudtrail.amazonaws.com" && s.Action.includes("kms:GenerateDataKey*"),
        )!;
        assert.deepEqual(encrypt.Condition.StringEquals, { "aws:SourceArn": TRAIL_ARN });
        assert.deepEqual(encrypt.Condition.StringLike, {
            "kms:EncryptionContext:aws:cloudtrail:arn": "arn:aws:cloudtrail:*:123456789012:trail/*",
        });
    });

    it("writes to a baseline bucket whose policy admits only this trail", () => {
        const bucketPolicy = one(doc, "aws:s3/bucketPolicy:BucketPolicy").inputs.policy;
        const st = statements(bucketPolicy);
        const write = st.find((s) => s.Sid === "CloudTrailWrite")!;
        assert.equal(write.Resource, "arn:aws:s3:::bb-test-audit-trail/AWSLogs/123456789012/*");
        assert.deepEqual(write.Condition.StringEquals, {
            "aws:SourceArn": TRAIL_ARN,
            "s3:x-amz-acl": "bucket-owner-full-control",
        });
        assert.deepEqual(st.find((s) => s.Sid === "CloudTrailAclCheck")!.Condition, {
            StringEquals: { "aws:SourceArn": TRAIL_ARN },
        });
        assert.ok(
            st.some((s) => s.Effect === "Deny" && JSON.stringify(s.Condition).includes("aws:SecureTransport")),
            "the TLS-only baseline statement is kept",
        );
        assert.equal((one(doc, "aws:s3/bucket:Bucket").inputs.tags as Record<string, string>)["data-class"], "logs");
    });

    it("turns on GuardDuty with EKS and runtime protection and sends findings of severity 4+ to the alert topic", () => {
        assert.equal(one(doc, "aws:guardduty/detector:Detector").inputs.enable, true);
        const features = Object.fromEntries(
            ofType(doc, "aws:guardduty/detectorFeature:DetectorFeature").map((f) => [f.inputs.name, f.inputs]),
        );
        assert.equal(features.EKS_AUDIT_LOGS.status, "ENABLED");
        assert.deepEqual(features.RUNTIME_MONITORING.additionalConfigurations, [
            { name: "EKS_ADDON_MANAGEMENT", status: "ENABLED" },
        ]);
        const pattern = JSON.parse(String(one(doc, "aws:cloudwatch/eventRule:EventRule").inputs.eventPattern));
        assert.deepEqual(pattern, {
            source: ["aws.guardduty"],
            "detail-type": ["GuardDuty Finding"],
            detail: { severity: [{ numeric: [">=", 4] }] },
        });
        assert.equal(one(doc, "aws:cloudwatch/eventTarget:EventTarget").inputs.arn, TOPIC);
    });

    it("can leave the detector and the log delivery to others but keeps the trail and the findings rule", async () => {
        const d = await renderComponent(() => new AuditTrail("audit2", auditArgs({ guardDuty: false, cloudWatchLogs: false })));
        assert.equal(ofType(d, "aws:guardduty/detector:Detector").length, 0);
        assert.equal(ofType(d, "aws:cloudwatch/logGroup:LogGroup").length, 0);
        assert.equal(one(d, "aws:cloudtrail/trail:Trail").inputs.cloudWatchLogsGroupArn, undefined);
        assert.equal(ofType(d, "aws:cloudwatch/eventRule:EventRule").length, 1);
        assert.throws(() => new AuditTrail("audit3", auditArgs({ logRetentionDays: 30 })), /below 90/);
    });
});

describe("Key policies (SEC-3)", function () {
    this.timeout(300_000);

    it("EncryptionKey names the services and roles that may use it through a service, and refuses roles without one", async () => {
        const d = await renderComponent(
            () =>
                new EncryptionKey("k", {
                    description: "d",
                    alias: "a",
                    context: CTX,
                    viaServices: ["secretsmanager"],
                    viaServiceRoleArns: ["arn:aws:iam::123456789012:role/r"],
                }),
        );
        const st = statements(one(d, "aws:kms/key:Key").inputs.policy);
        assert.deepEqual(
            st.map((s) => s.Sid),
            ["AccountAdministration", "UseThroughServices", "GrantsThroughServices", "NamedRolesThroughServices"],
        );
        assert.deepEqual(st[1].Condition, {
            StringEquals: { "kms:CallerAccount": "123456789012", "kms:ViaService": ["secretsmanager.us-east-1.amazonaws.com"] },
        });
        assert.deepEqual(st[2].Condition.Bool, { "kms:GrantIsForAWSResource": "true" });
        assert.deepEqual(st[3].Condition.ArnEquals, { "aws:PrincipalArn": ["arn:aws:iam::123456789012:role/r"] });
        assert.throws(
            () =>
                new EncryptionKey("k2", {
                    description: "d",
                    alias: "b",
                    context: CTX,
                    viaServiceRoleArns: ["arn:aws:iam::123456789012:role/r"],
                }),
            /needs viaServices/,
        );
    });

    it("prod: every key rotates, keeps the account administration statement, and names its services", async () => {
        const doc = await renderedStack("prod");
        const expected: Record<string, string[]> = {
            "bookbuddy-prod-secrets": ["secretsmanager.us-east-1.amazonaws.com"],
            "bookbuddy-prod-data": ["rds", "elasticache", "s3", "ec2", "ecr"].map((s) => `${s}.us-east-1.amazonaws.com`),
            "bookbuddy-prod-backup": ["backup.us-east-1.amazonaws.com"],
            "bookbuddy-prod-eks": ["eks.us-east-1.amazonaws.com"],
        };
        const keys = ofType(doc, "aws:kms/key:Key");
        assert.ok(keys.length >= 7, `found ${keys.length} keys`);
        for (const k of keys) {
            assert.equal(k.inputs.enableKeyRotation, true, nameOf(k));
            const st = statements(k.inputs.policy);
            assert.deepEqual(st[0], {
                Sid: "AccountAdministration",
                Effect: "Allow",
                Principal: { AWS: "arn:aws:iam::123456789012:root" },
                Action: "kms:*",
                Resource: "*",
            });
            const via = expected[nameOf(k)];
            if (via)
                assert.deepEqual(
                    st.find((s) => s.Sid === "UseThroughServices")?.Condition.StringEquals["kms:ViaService"],
                    via,
                    nameOf(k),
                );
        }
        const logs = statements(one(doc, "aws:kms/key:Key", "bookbuddy-prod-logs").inputs.policy);
        assert.ok(
            logs.some((s) => s.Principal?.Service === "logs.us-east-1.amazonaws.com" && s.Condition?.ArnLike),
            "the logs service, bound to this account's log groups",
        );
    });
});
