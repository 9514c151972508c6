/**
 * One property at a time on the compliant shapes of tests/policies/cases.ts (POL-1, POL-3): empty strings,
 * AWS-managed key aliases given as ARNs, boundaries, read replicas, alternative accepted values and unknown
 * nested values, each with the exact outcome. Added where mutation testing (npm run mutation, docs/mutation.md)
 * showed a condition exercised on one side only.
 */
import * as assert from "assert";
import { resourceCases, ruleNamed } from "./cases";
import { WIRE, checkResource, resource, type Outcome } from "./harness";

const CMK = "must name a customer-managed KMS key";
const cj = (rule: string, what: string) => `${rule} cannot judge until the values are known: ${what}`;
const pod = (spec: Record<string, unknown>) => ({ spec: { template: { spec } } });
const container = (extra: Record<string, unknown>) => ({ name: "api", image: "api:1.0.0", ...extra });

/** [rule, type (last segment of a case of cases.ts), properties over its compliant shape, exact violations, exact cannot-judge messages]. */
const ROWS: [string, string, Record<string, unknown>, string[], string[]?][] = [
    // Empty strings are not names.
    ["backup-vault-cmk", "Vault", { kmsKeyArn: "" }, [`kmsKeyArn ${CMK}.`]],
    ["cloudtrail-kms", "Trail", { kmsKeyId: "" }, ["kmsKeyId must name a KMS key."]],
    [
        "elasticache-private-subnet-group",
        "ReplicationGroup",
        { subnetGroupName: "" },
        ['subnetGroupName must name the private cache subnet group (absent or "default" uses the default VPC).'],
    ],
    ["log-group-kms", "LogGroup", { kmsKeyId: "" }, ["kmsKeyId must name a KMS key."]],
    [
        "rds-storage-encrypted-cmk",
        "Instance",
        { kmsKeyId: "" },
        [`kmsKeyId ${CMK} (the AWS-managed aws/rds key cannot be governed or rotated by us).`],
    ],
    ["secret-cmk", "Secret", { kmsKeyId: "" }, [`kmsKeyId ${CMK}.`]],
    [
        "sns-topic-encrypted",
        "Topic",
        { kmsMasterKeyId: "" },
        [`kmsMasterKeyId ${CMK} (alias/aws/sns blocks CloudWatch alarm delivery).`],
    ],
    ["s3-access-logging", "BucketLogging", { targetBucket: "" }, ["targetBucket must be set."]],
    ["rds-enhanced-monitoring", "Instance", { monitoringRoleArn: "" }, ["monitoringRoleArn must be set."]],
    [
        "rds-performance-insights",
        "Instance",
        { performanceInsightsKmsKeyId: "" },
        ["performanceInsightsKmsKeyId must name the database CMK (query samples contain data)."],
    ],
    [
        "elasticache-auth",
        "ReplicationGroup",
        { authToken: "", userGroupIds: [] },
        ["neither authToken nor userGroupIds is set: any client in the network can use the cache."],
    ],
    [
        "k8s-image-pinned",
        "Job",
        pod({ containers: [container({ image: "" })] }),
        ['containers[0] (api) image "" has no pinned tag or digest.'],
    ],
    [
        "k8s-resources",
        "Deployment",
        pod({ containers: [container({ resources: { requests: { cpu: "", memory: "256Mi" }, limits: { memory: "256Mi" } } })] }),
        ["containers[0] (api) has no requests.cpu."],
    ],
    // AWS-managed keys by ARN, not only by alias.
    ["secret-cmk", "Secret", { kmsKeyId: "arn:aws:kms:eu-west-1:111122223333:alias/aws/secretsmanager" }, [`kmsKeyId ${CMK}.`]],
    [
        "sns-topic-encrypted",
        "Topic",
        { kmsMasterKeyId: "arn:aws:kms:eu-west-1:111122223333:alias/aws/sns" },
        [`kmsMasterKeyId ${CMK} (alias/aws/sns blocks CloudWatch alarm delivery).`],
    ],
    // Alternative accepted values.
    ["ecr-immutable-tags", "Repository", { imageTagMutability: "IMMUTABLE_WITH_EXCLUSION" }, []],
    ["elasticache-encryption-at-rest-cmk", "ReplicationGroup", { atRestEncryptionEnabled: "true" }, []],
    ["elasticache-auth", "ReplicationGroup", { authToken: undefined, userGroupIds: ["bookbuddy-users"] }, []],
    ["elasticache-encryption-in-transit", "ReplicationGroup", { transitEncryptionMode: undefined }, []],
    ["rds-performance-insights", "Instance", { performanceInsightsEnabled: false, databaseInsightsMode: "advanced" }, []],
    // Boundaries.
    ["elasticache-snapshot-retention", "ReplicationGroup", { snapshotRetentionLimit: 7 }, []],
    ["rds-enhanced-monitoring", "Instance", { monitoringInterval: 61 }, ["monitoringInterval must be between 1 and 60 seconds."]],
    [
        "launch-template-imdsv2",
        "LaunchTemplate",
        { metadataOptions: { httpEndpoint: "enabled", httpTokens: "required" } },
        ["metadataOptions.httpPutResponseHopLimit must be set and at most 2."],
    ],
    ["elasticache-snapshot-retention", "ReplicationGroup", { snapshotRetentionLimit: 1 }, []],
    [
        "rds-log-exports",
        "Instance",
        { enabledCloudwatchLogsExports: [] },
        ["enabledCloudwatchLogsExports lacks postgresql, upgrade."],
    ],
    ["s3-versioning", "BucketV2", { versioning: undefined }, []],
    [
        "rds-performance-insights",
        "Instance",
        { performanceInsightsEnabled: false, databaseInsightsMode: WIRE.unknown },
        [],
        ["databaseInsightsMode"],
    ],
    // Administrator access needs every action on every resource.
    [
        "iam-no-admin-wildcard",
        "Policy",
        {
            policy: JSON.stringify({
                Version: "2012-10-17",
                Statement: [{ Effect: "Allow", Action: "*", Resource: "arn:aws:s3:::bookbuddy-media/*" }],
            }),
        },
        [],
    ],
    [
        "iam-no-admin-wildcard",
        "Policy",
        {
            policy: JSON.stringify({
                Version: "2012-10-17",
                Statement: [{ Effect: "Allow", Action: "s3:GetObject", Resource: "*" }],
            }),
        },
        [],
    ],
    [
        "iam-no-admin-wildcard",
        "Policy",
        {
            policy: JSON.stringify({
                Version: "2012-10-17",
                Statement: [{ Effect: "Allow", Action: "*", NotResource: "arn:aws:s3:::audit/*" }],
            }),
        },
        ['policy Statement[0] allows "*" on NotResource: that is administrator access.'],
    ],
    [
        "k8s-resources",
        "Deployment",
        pod({
            containers: [container({ resources: { requests: { cpu: null, memory: "256Mi" }, limits: { memory: "256Mi" } } })],
        }),
        ["containers[0] (api) has no requests.cpu."],
    ],
    [
        "k8s-ingress-alb-tls",
        "Ingress",
        { metadata: { annotations: { "alb.ingress.kubernetes.io/listen-ports": "[null]" } }, spec: { ingressClassName: "alb" } },
        ['alb.ingress.kubernetes.io/listen-ports must be a JSON list such as [{"HTTP":80},{"HTTPS":443}], got "[null]".'],
    ],
    ["secret-rotation-class", "Secret", { tags: { "rotation-class": WIRE.unknown } }, [], ["tags.rotation-class"]],
    // Read replicas inherit backups and placement from their source.
    ["rds-backup-retention", "Instance", { replicateSourceDb: "bookbuddy-db", backupRetentionPeriod: 0 }, []],
    ["rds-multi-az", "Instance", { replicateSourceDb: "bookbuddy-db", multiAz: false }, []],
    // Pod-level switches.
    [
        "k8s-no-privileged",
        "Deployment",
        pod({ hostPID: true, hostIPC: true, containers: [container({})] }),
        ["hostPID must not be true.", "hostIPC must not be true."],
    ],
    [
        "k8s-probes",
        "Deployment",
        pod({ containers: [container({ readinessProbe: null, livenessProbe: { httpGet: { path: "/healthz", port: 8000 } } })] }),
        ["containers[0] (api) has no readinessProbe."],
    ],
    // Unknown nested values name exactly what is unknown.
    ["eks-nodegroup-launch-template", "NodeGroup", { remoteAccess: WIRE.unknown }, [], ["remoteAccess"]],
    [
        "k8s-no-privileged",
        "Deployment",
        pod({ containers: [container({ securityContext: { privileged: WIRE.unknown } })] }),
        [],
        ["containers[0] (api).securityContext.privileged"],
    ],
    [
        "k8s-no-privilege-escalation",
        "DaemonSet",
        pod({ containers: [container({ securityContext: { allowPrivilegeEscalation: WIRE.unknown } })] }),
        [],
        ["containers[0] (api).securityContext.allowPrivilegeEscalation"],
    ],
    [
        "k8s-probes",
        "Deployment",
        pod({ containers: [container({ readinessProbe: WIRE.unknown, livenessProbe: { tcpSocket: { port: 8000 } } })] }),
        [],
        ["containers[0] (api).readinessProbe"],
    ],
    [
        "k8s-resources",
        "Deployment",
        pod({
            containers: [
                container({ resources: { requests: { cpu: WIRE.unknown, memory: "256Mi" }, limits: { memory: "256Mi" } } }),
            ],
        }),
        [],
        ["containers[0] (api).resources.requests.cpu"],
    ],
    [
        "cloudfront-https-only",
        "Distribution",
        { orderedCacheBehaviors: [{ pathPattern: "/api/*", viewerProtocolPolicy: WIRE.unknown }] },
        [],
        ["orderedCacheBehaviors[0].viewerProtocolPolicy"],
    ],
];

describe("policy packs: one property at a time, exact outcomes (POL-1, POL-3; mutation testing)", () => {
    for (const [rule, type, over, violations, unknown] of ROWS) {
        it(`${rule} on ${type} with ${JSON.stringify(over).slice(0, 120)}`, async () => {
            const c = resourceCases.find((x) => x.rule === rule && x.type.split(":").pop() === type);
            assert.ok(c, `cases.ts has no case of ${rule} on ${type}: update this table`);
            const outcome = await checkResource(ruleNamed(rule), resource(c.type, "subject", { ...c.ok, ...over }), {
                config: c.config,
            });
            const expected: Outcome = {
                violations: violations.map((message) => ({ message, urn: undefined })),
                cannotJudge: unknown ? [cj(rule, unknown.join("; "))] : [],
            };
            assert.deepStrictEqual(outcome, expected);
        });
    }
});
