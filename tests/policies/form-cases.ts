/**
 * Compliant and violating cases in every resource form of policies/lib/forms.json that tests/policies/cases.ts
 * does not already cover (POL-4). Resource cases are plain property bags with the pinned providers' input
 * names; stack cases are small recorded stacks. tests/policies/forms.spec.ts runs them and checks that every
 * (rule, form) pair of the table has both.
 */
import type { PlanResourceState } from "../../tools/plan/types";
import { LONG_RUNNING_TYPES, WORKLOAD_TYPES } from "../../policies/lib/k8s";
import { rdsOk, redisOk, type Props, type ResourceCase } from "./cases";
import { WIRE, resource } from "./harness";

const KEY = "arn:aws:kms:eu-west-1:111122223333:key/0b1c2d3e-aaaa-bbbb-cccc-444455556666";
const doc = (statements: Props[]) => JSON.stringify({ Version: "2012-10-17", Statement: statements });

const RDS_CLUSTER = "aws:rds/cluster:Cluster";
const auroraOk: Props = {
    engine: "aurora-postgresql",
    engineVersion: "16.4",
    clusterIdentifier: "bookbuddy",
    storageEncrypted: true,
    kmsKeyId: KEY,
    manageMasterUserPassword: true,
    masterUsername: "bookbuddy_admin",
    backupRetentionPeriod: 14,
    deletionProtection: true,
    skipFinalSnapshot: false,
    finalSnapshotIdentifier: "bookbuddy-final",
    copyTagsToSnapshot: true,
    dbSubnetGroupName: "bookbuddy-db",
};
const CACHE_CLUSTER = "aws:elasticache/cluster:Cluster";
const SERVERLESS = "aws:elasticache/serverlessCache:ServerlessCache";
const memberOk: Props = { clusterId: "bookbuddy-cache-003", replicationGroupId: "bookbuddy-cache" };
const standalone: Props = {
    clusterId: "cache",
    engine: "redis",
    nodeType: "cache.t4g.small",
    numCacheNodes: 1,
    subnetGroupName: "bookbuddy-cache",
    transitEncryptionEnabled: true,
};
const serverlessOk: Props = {
    name: "bookbuddy",
    engine: "valkey",
    kmsKeyId: KEY,
    userGroupId: "bookbuddy-users",
    subnetIds: ["subnet-a", "subnet-b"],
    securityGroupIds: ["sg-1"],
};

const tlsDeny = {
    Sid: "TlsOnly",
    Effect: "Deny",
    Principal: "*",
    Action: "s3:*",
    Resource: ["arn:aws:s3:::b", "arn:aws:s3:::b/*"],
    Condition: { Bool: { "aws:SecureTransport": "false" } },
};
const cloudfrontRead = {
    Sid: "Cdn",
    Effect: "Allow",
    Principal: { Service: "cloudfront.amazonaws.com" },
    Action: "s3:GetObject",
    Resource: "arn:aws:s3:::b/*",
    Condition: { StringEquals: { "AWS:SourceArn": "arn:aws:cloudfront::111122223333:distribution/E1" } },
};
const publicRead = { Effect: "Allow", Principal: "*", Action: "s3:GetObject", Resource: "arn:aws:s3:::b/*" };
const bucketPolicyOk = doc([tlsDeny, cloudfrontRead]);

const admin = doc([{ Effect: "Allow", Action: "*", Resource: "*" }]);
const scoped = doc([{ Effect: "Allow", Action: ["s3:GetObject"], Resource: "arn:aws:s3:::bookbuddy-media/*" }]);
const serviceWide = doc([{ Effect: "Allow", Action: ["s3:*"], Resource: "*" }]);
const ADMIN_ARN = "arn:aws:iam::aws:policy/AdministratorAccess";
const READ_ARN = "arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy";
const trustOk = doc([
    {
        Effect: "Allow",
        Principal: { Federated: "arn:aws:iam::111122223333:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/ABC" },
        Action: "sts:AssumeRoleWithWebIdentity",
        Condition: {
            StringEquals: {
                "oidc.eks.eu-west-1.amazonaws.com/id/ABC:sub": "system:serviceaccount:bookbuddy:api",
                "oidc.eks.eu-west-1.amazonaws.com/id/ABC:aud": "sts.amazonaws.com",
            },
        },
    },
]);
const keyPolicyOk = doc([
    { Sid: "Root", Effect: "Allow", Principal: { AWS: "arn:aws:iam::111122223333:root" }, Action: "kms:*", Resource: "*" },
    {
        Sid: "Logs",
        Effect: "Allow",
        Principal: { Service: "logs.eu-west-1.amazonaws.com" },
        Action: ["kms:Encrypt*", "kms:Decrypt*"],
        Resource: "*",
        Condition: { ArnLike: { "kms:EncryptionContext:aws:logs:arn": "arn:aws:logs:eu-west-1:111122223333:*" } },
    },
]);
const TOPIC = "arn:aws:sns:eu-west-1:111122223333:alerts";
const SECRET = "arn:aws:secretsmanager:eu-west-1:111122223333:secret:bookbuddy/api-AbCdEf";
const topicPolicyOk = doc([
    {
        Sid: "Alarms",
        Effect: "Allow",
        Principal: { Service: "cloudwatch.amazonaws.com" },
        Action: "sns:Publish",
        Resource: TOPIC,
        Condition: { StringEquals: { "aws:SourceAccount": "111122223333" } },
    },
]);
const repositoryPolicyOk = doc([
    {
        Sid: "Nodes",
        Effect: "Allow",
        Principal: { AWS: "arn:aws:iam::111122223333:role/bookbuddy-node" },
        Action: ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"],
    },
]);
const secretPolicyOk = doc([
    {
        Sid: "DenyOutsideAccount",
        Effect: "Deny",
        Principal: "*",
        Action: "secretsmanager:GetSecretValue",
        Resource: "*",
        Condition: { StringNotEquals: { "aws:PrincipalAccount": "111122223333" } },
    },
    {
        Sid: "Api",
        Effect: "Allow",
        Principal: { AWS: "arn:aws:iam::111122223333:role/bookbuddy-api" },
        Action: "secretsmanager:GetSecretValue",
        Resource: "*",
    },
]);
const keyPolicyPublic = doc([{ Effect: "Allow", Principal: { AWS: "*" }, Action: "kms:Decrypt", Resource: "*" }]);

/** A pod spec placed where each pod-bearing kind keeps it. */
export function workload(type: string, pod: Props): Props {
    if (type.endsWith(":Pod")) {
        return { metadata: { name: "api" }, spec: pod };
    }
    const template = { metadata: { labels: { app: "api" } }, spec: pod };
    if (type.endsWith(":PodTemplate")) {
        return { metadata: { name: "api" }, template };
    }
    if (type.endsWith(":CronJob")) {
        return { metadata: { name: "api" }, spec: { schedule: "0 3 * * 0", jobTemplate: { spec: { template } } } };
    }
    return { metadata: { name: "api" }, spec: { selector: { matchLabels: { app: "api" } }, template } };
}

function container(extra: Props = {}): Props {
    return {
        name: "api",
        image: "111122223333.dkr.ecr.eu-west-1.amazonaws.com/api:1.4.2",
        securityContext: {
            allowPrivilegeEscalation: false,
            privileged: false,
            runAsNonRoot: true,
            capabilities: { drop: ["ALL"] },
        },
        resources: { requests: { cpu: "250m", memory: "256Mi" }, limits: { memory: "512Mi" } },
        readinessProbe: { httpGet: { path: "/health", port: 8000 } },
        livenessProbe: { httpGet: { path: "/health", port: 8000 } },
        ...extra,
    };
}
const podOk: Props = { securityContext: { runAsNonRoot: true, runAsUser: 10001 }, containers: [container()] };

/** One violating pod per pod rule. */
const POD_BAD: Record<string, { why: string; pod: Props; expect: RegExp }> = {
    "k8s-no-privileged": {
        why: "a privileged container",
        pod: {
            ...podOk,
            containers: [
                container({ securityContext: { privileged: true, allowPrivilegeEscalation: false, runAsNonRoot: true } }),
            ],
        },
        expect: /privileged/,
    },
    "k8s-no-privilege-escalation": {
        why: "privilege escalation left at its default",
        pod: { ...podOk, containers: [container({ securityContext: { runAsNonRoot: true } })] },
        expect: /allowPrivilegeEscalation: false/,
    },
    "k8s-run-as-non-root": {
        why: "pod-level runAsUser 0",
        pod: {
            securityContext: { runAsNonRoot: true, runAsUser: 0 },
            containers: [container({ securityContext: { allowPrivilegeEscalation: false } })],
        },
        expect: /uid 0/,
    },
    "k8s-image-pinned": {
        why: "the latest tag",
        pod: { ...podOk, containers: [container({ image: "111122223333.dkr.ecr.eu-west-1.amazonaws.com/api:latest" })] },
        expect: /no pinned tag/,
    },
    "k8s-resources": {
        why: "no requests or limits",
        pod: { ...podOk, containers: [container({ resources: undefined })] },
        expect: /requests.cpu/,
    },
    "k8s-probes": {
        why: "no readiness probe",
        pod: { ...podOk, containers: [container({ readinessProbe: undefined })] },
        expect: /readinessProbe/,
    },
};

const podCases: ResourceCase[] = Object.entries(POD_BAD).flatMap(([rule, bad]) =>
    (rule === "k8s-probes" ? LONG_RUNNING_TYPES : WORKLOAD_TYPES).map((type) => ({
        rule,
        type,
        ok: workload(type, podOk),
        bad: [{ why: bad.why, props: workload(type, bad.pod), expect: bad.expect }],
    })),
);

const iamDocumentCases = (rule: string, good: string, bad: string, expect: RegExp): ResourceCase[] => [
    {
        rule,
        type: "aws:iam/policy:Policy",
        ok: { policy: good },
        bad: [{ why: "managed policy", props: { policy: bad }, expect }],
    },
    {
        rule,
        type: "aws:iam/role:Role",
        ok: { assumeRolePolicy: trustOk, inlinePolicies: [{ name: "p", policy: good }] },
        bad: [
            { why: "inline policy", props: { assumeRolePolicy: trustOk, inlinePolicies: [{ name: "p", policy: bad }] }, expect },
        ],
    },
    {
        rule,
        type: "aws:iam/rolePolicy:RolePolicy",
        ok: { role: "api", policy: good },
        bad: [{ why: "role policy", props: { role: "api", policy: bad }, expect }],
    },
    {
        rule,
        type: "aws:iam/userPolicy:UserPolicy",
        ok: { user: "ci", policy: good },
        bad: [{ why: "user policy", props: { user: "ci", policy: bad }, expect }],
    },
    {
        rule,
        type: "aws:iam/groupPolicy:GroupPolicy",
        ok: { group: "ops", policy: good },
        bad: [{ why: "group policy", props: { group: "ops", policy: bad }, expect }],
    },
];

export const formResourceCases: ResourceCase[] = [
    // --- RDS: Aurora clusters and their instances ---
    {
        rule: "rds-storage-encrypted-cmk",
        type: RDS_CLUSTER,
        ok: auroraOk,
        bad: [
            {
                why: "unencrypted cluster",
                props: { ...auroraOk, storageEncrypted: false },
                expect: /storageEncrypted must be true/,
            },
        ],
    },
    {
        rule: "rds-not-publicly-accessible",
        type: "aws:rds/clusterInstance:ClusterInstance",
        ok: {
            clusterIdentifier: "bookbuddy",
            instanceClass: "db.r7g.large",
            engine: "aurora-postgresql",
            publiclyAccessible: false,
        },
        bad: [
            {
                why: "public Aurora instance",
                props: {
                    clusterIdentifier: "bookbuddy",
                    instanceClass: "db.r7g.large",
                    engine: "aurora-postgresql",
                    publiclyAccessible: true,
                },
                expect: /publiclyAccessible/,
            },
        ],
    },
    {
        rule: "rds-managed-master-password",
        type: RDS_CLUSTER,
        ok: auroraOk,
        bad: [
            {
                why: "cluster password in state",
                props: { ...auroraOk, manageMasterUserPassword: undefined, masterPassword: "[secret]" },
                expect: /password|manageMasterUserPassword/,
            },
        ],
    },
    {
        rule: "rds-deletion-protection",
        type: RDS_CLUSTER,
        ok: auroraOk,
        bad: [{ why: "cluster unprotected", props: { ...auroraOk, deletionProtection: false }, expect: /deletionProtection/ }],
    },
    {
        rule: "rds-final-snapshot",
        type: RDS_CLUSTER,
        ok: auroraOk,
        bad: [
            {
                why: "cluster skips its final snapshot",
                props: { ...auroraOk, skipFinalSnapshot: true },
                expect: /skipFinalSnapshot/,
            },
        ],
    },
    {
        rule: "rds-backup-retention",
        type: RDS_CLUSTER,
        ok: auroraOk,
        bad: [{ why: "cluster keeps 1 day", props: { ...auroraOk, backupRetentionPeriod: 1 }, expect: /at least 7/ }],
    },
    {
        rule: "rds-copy-tags-to-snapshot",
        type: RDS_CLUSTER,
        ok: auroraOk,
        bad: [
            {
                why: "cluster does not copy tags",
                props: { ...auroraOk, copyTagsToSnapshot: false },
                expect: /copyTagsToSnapshot/,
            },
        ],
    },
    // --- ElastiCache: standalone clusters and serverless caches ---
    {
        rule: "elasticache-encryption-at-rest-cmk",
        type: CACHE_CLUSTER,
        ok: memberOk,
        bad: [
            {
                why: "standalone cluster (no at-rest encryption exists)",
                props: standalone,
                expect: /cannot encrypt data at rest/,
            },
        ],
    },
    {
        rule: "elasticache-encryption-at-rest-cmk",
        type: SERVERLESS,
        ok: serverlessOk,
        bad: [{ why: "AWS-owned key", props: { ...serverlessOk, kmsKeyId: undefined }, expect: /kmsKeyId/ }],
    },
    {
        rule: "elasticache-encryption-in-transit",
        type: CACHE_CLUSTER,
        ok: standalone,
        bad: [
            {
                why: "plaintext cluster",
                props: { ...standalone, transitEncryptionEnabled: false },
                expect: /transitEncryptionEnabled/,
            },
        ],
    },
    {
        rule: "elasticache-auth",
        type: CACHE_CLUSTER,
        ok: memberOk,
        bad: [{ why: "standalone cluster (no AUTH exists)", props: standalone, expect: /has no AUTH/ }],
    },
    {
        rule: "elasticache-auth",
        type: SERVERLESS,
        ok: serverlessOk,
        bad: [{ why: "no user group", props: { ...serverlessOk, userGroupId: undefined }, expect: /userGroupId/ }],
    },
    {
        rule: "elasticache-private-subnet-group",
        type: CACHE_CLUSTER,
        ok: standalone,
        bad: [{ why: "default subnet group", props: { ...standalone, subnetGroupName: "default" }, expect: /subnetGroupName/ }],
    },
    {
        rule: "elasticache-private-subnet-group",
        type: SERVERLESS,
        ok: serverlessOk,
        bad: [{ why: "default VPC subnets", props: { ...serverlessOk, subnetIds: [] }, expect: /subnetIds/ }],
    },
    // --- S3: BucketV2 inline lists, account-wide block, inline policies, allow statements ---
    {
        rule: "s3-encryption-kms",
        type: "aws:s3/bucketV2:BucketV2",
        ok: {
            bucket: "b",
            serverSideEncryptionConfigurations: [
                {
                    rules: [
                        {
                            applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: KEY },
                            bucketKeyEnabled: true,
                        },
                    ],
                },
            ],
        },
        bad: [
            {
                why: "inline AES256 (list form)",
                props: {
                    bucket: "b",
                    serverSideEncryptionConfigurations: [
                        { rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" }, bucketKeyEnabled: true }] },
                    ],
                },
                expect: /aws:kms/,
            },
        ],
    },
    {
        rule: "s3-versioning",
        type: "aws:s3/bucket:Bucket",
        ok: { bucket: "b", versioning: { enabled: true } },
        bad: [{ why: "inline disabled", props: { bucket: "b", versioning: { enabled: false } }, expect: /versioning.enabled/ }],
    },
    {
        rule: "s3-versioning",
        type: "aws:s3/bucketVersioningV2:BucketVersioningV2",
        ok: { bucket: "b", versioningConfiguration: { status: "Enabled" } },
        bad: [
            {
                why: "suspended (V2)",
                props: { bucket: "b", versioningConfiguration: { status: "Suspended" } },
                expect: /Enabled/,
            },
        ],
    },
    {
        rule: "s3-public-access-block",
        type: "aws:s3/accountPublicAccessBlock:AccountPublicAccessBlock",
        ok: { blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true },
        bad: [
            {
                why: "account allows public policies",
                props: { blockPublicAcls: true, blockPublicPolicy: false, ignorePublicAcls: true, restrictPublicBuckets: true },
                expect: /blockPublicPolicy must be true/,
            },
        ],
    },
    {
        rule: "s3-tls-only-policy",
        type: "aws:s3/bucket:Bucket",
        ok: { bucket: "b", policy: bucketPolicyOk },
        bad: [
            {
                why: "inline policy without the TLS deny",
                props: { bucket: "b", policy: doc([cloudfrontRead]) },
                expect: /aws:SecureTransport/,
            },
        ],
    },
    {
        rule: "s3-tls-only-policy",
        type: "aws:s3/bucketV2:BucketV2",
        ok: { bucket: "b", policy: bucketPolicyOk },
        bad: [
            {
                why: "inline policy without the TLS deny",
                props: { bucket: "b", policy: doc([cloudfrontRead]) },
                expect: /aws:SecureTransport/,
            },
        ],
    },
    {
        rule: "resource-policy-no-public-principal",
        type: "aws:s3/bucketPolicy:BucketPolicy",
        ok: { bucket: "b", policy: bucketPolicyOk },
        bad: [
            {
                why: "public read",
                props: { bucket: "b", policy: doc([tlsDeny, publicRead]) },
                expect: /Statement\[1\] allows Principal "\*"/,
            },
            {
                why: 'AWS "*" principal',
                props: { bucket: "b", policy: doc([{ ...publicRead, Principal: { AWS: ["*"] } }]) },
                expect: /allows Principal "\*"/,
            },
            { why: "no policy document", props: { bucket: "b" }, expect: /declares no policy document/ },
        ],
    },
    {
        rule: "resource-policy-no-public-principal",
        type: "aws:s3/bucket:Bucket",
        ok: { bucket: "b", policy: bucketPolicyOk },
        bad: [
            {
                why: "inline public read",
                props: { bucket: "b", policy: doc([publicRead]) },
                expect: /policy Statement\[0\] allows Principal "\*"/,
            },
        ],
    },
    {
        rule: "resource-policy-no-public-principal",
        type: "aws:s3/bucketV2:BucketV2",
        ok: { bucket: "b", policy: bucketPolicyOk },
        bad: [
            {
                why: "inline public read",
                props: { bucket: "b", policy: doc([publicRead]) },
                expect: /policy Statement\[0\] allows Principal "\*"/,
            },
            {
                why: "inline policy that is not a document",
                props: { bucket: "b", policy: "s3:GetObject for everyone" },
                expect: /policy is not a policy document/,
            },
        ],
    },
    // --- IAM: every document form and every managed-policy attachment ---
    ...iamDocumentCases("iam-no-admin-wildcard", scoped, admin, /administrator access/),
    ...iamDocumentCases("iam-no-service-wildcard", scoped, serviceWide, /s3:\*/),
    {
        rule: "iam-no-admin-wildcard",
        type: "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
        ok: { role: "nodes", policyArn: READ_ARN },
        bad: [
            { why: "AdministratorAccess on a role", props: { role: "ci", policyArn: ADMIN_ARN }, expect: /AdministratorAccess/ },
        ],
    },
    {
        rule: "iam-no-admin-wildcard",
        type: "aws:iam/userPolicyAttachment:UserPolicyAttachment",
        ok: { user: "ci", policyArn: READ_ARN },
        bad: [
            { why: "AdministratorAccess on a user", props: { user: "ci", policyArn: ADMIN_ARN }, expect: /AdministratorAccess/ },
        ],
    },
    {
        rule: "iam-no-admin-wildcard",
        type: "aws:iam/groupPolicyAttachment:GroupPolicyAttachment",
        ok: { group: "ops", policyArn: READ_ARN },
        bad: [
            {
                why: "AdministratorAccess on a group",
                props: { group: "ops", policyArn: "arn:aws-us-gov:iam::aws:policy/AdministratorAccess" },
                expect: /AdministratorAccess/,
            },
        ],
    },
    {
        rule: "iam-no-admin-wildcard",
        type: "aws:iam/policyAttachment:PolicyAttachment",
        ok: { name: "nodes", roles: ["nodes"], policyArn: READ_ARN },
        bad: [
            {
                why: "AdministratorAccess to many",
                props: { name: "all", users: ["a"], policyArn: ADMIN_ARN },
                expect: /AdministratorAccess/,
            },
        ],
    },
    {
        rule: "iam-no-admin-wildcard",
        type: "aws:iam/rolePolicyAttachmentsExclusive:RolePolicyAttachmentsExclusive",
        ok: { roleName: "nodes", policyArns: [READ_ARN] },
        bad: [
            {
                why: "AdministratorAccess among the exclusive set",
                props: { roleName: "ci", policyArns: [READ_ARN, ADMIN_ARN] },
                expect: /AdministratorAccess/,
            },
        ],
    },
    {
        rule: "iam-trust-policy-scoped",
        type: "aws:iam/role:Role",
        ok: { assumeRolePolicy: trustOk },
        bad: [
            {
                why: "anyone may assume",
                props: { assumeRolePolicy: doc([{ Effect: "Allow", Principal: { AWS: "*" }, Action: "sts:AssumeRole" }]) },
                expect: /lets any principal \("\*"\) assume the role/,
            },
            {
                why: 'Principal "*"',
                props: { assumeRolePolicy: doc([{ Effect: "Allow", Principal: "*", Action: "sts:AssumeRole" }]) },
                expect: /lets any principal/,
            },
        ],
    },
    // --- KMS: key policy in both forms ---
    {
        rule: "resource-policy-no-public-principal",
        type: "aws:kms/key:Key",
        ok: { description: "data", enableKeyRotation: true, policy: keyPolicyOk },
        bad: [
            {
                why: "public decrypt",
                props: { description: "data", enableKeyRotation: true, policy: keyPolicyPublic },
                expect: /policy Statement\[0\] allows Principal "\*" "kms:Decrypt"/,
            },
        ],
    },
    {
        rule: "resource-policy-no-public-principal",
        type: "aws:kms/keyPolicy:KeyPolicy",
        ok: { keyId: "k", policy: keyPolicyOk },
        bad: [{ why: "public decrypt", props: { keyId: "k", policy: keyPolicyPublic }, expect: /allows Principal "\*"/ }],
    },
    // --- Topic, repository and secret policies, Lambda permissions: the other forms of the same concern ---
    {
        rule: "resource-policy-no-public-principal",
        type: "aws:sns/topic:Topic",
        ok: { name: "alerts", kmsMasterKeyId: KEY, policy: topicPolicyOk },
        bad: [
            {
                why: "inline policy lets anyone publish",
                props: {
                    name: "alerts",
                    kmsMasterKeyId: KEY,
                    policy: doc([{ Effect: "Allow", Principal: { AWS: "*" }, Action: "sns:Publish", Resource: TOPIC }]),
                },
                expect: /policy Statement\[0\] allows Principal "\*" "sns:Publish"/,
            },
        ],
    },
    {
        rule: "resource-policy-no-public-principal",
        type: "aws:sns/topicPolicy:TopicPolicy",
        ok: { arn: TOPIC, policy: topicPolicyOk },
        bad: [
            {
                why: "anyone may subscribe",
                props: {
                    arn: TOPIC,
                    policy: doc([{ Effect: "Allow", Principal: "*", Action: ["sns:Subscribe"], Resource: TOPIC }]),
                },
                expect: /allows Principal "\*" \["sns:Subscribe"\]/,
            },
            { why: "no policy document", props: { arn: TOPIC }, expect: /declares no policy document/ },
        ],
    },
    {
        rule: "resource-policy-no-public-principal",
        type: "aws:ecr/repositoryPolicy:RepositoryPolicy",
        ok: { repository: "api", policy: repositoryPolicyOk },
        bad: [
            {
                why: "anyone may pull",
                props: {
                    repository: "api",
                    policy: doc([
                        {
                            Sid: "Pull",
                            Effect: "Allow",
                            Principal: "*",
                            Action: ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"],
                        },
                    ]),
                },
                expect: /policy Statement\[0\] allows Principal "\*"/,
            },
        ],
    },
    {
        rule: "resource-policy-no-public-principal",
        type: "aws:secretsmanager/secretPolicy:SecretPolicy",
        ok: { secretArn: SECRET, policy: secretPolicyOk },
        bad: [
            {
                why: "anyone may read the secret",
                props: {
                    secretArn: SECRET,
                    policy: doc([
                        { Effect: "Allow", Principal: { AWS: ["*"] }, Action: "secretsmanager:GetSecretValue", Resource: "*" },
                    ]),
                },
                expect: /allows Principal "\*" "secretsmanager:GetSecretValue"/,
            },
            {
                why: "a policy that is not a document",
                props: { secretArn: SECRET, policy: "[]" },
                expect: /policy is not a policy document/,
            },
        ],
    },
    {
        rule: "resource-policy-no-public-principal",
        type: "aws:lambda/permission:Permission",
        ok: {
            action: "lambda:InvokeFunction",
            function: "rotation",
            principal: "secretsmanager.amazonaws.com",
            sourceAccount: "111122223333",
        },
        bad: [
            {
                why: "anyone may invoke",
                props: { action: "lambda:InvokeFunction", function: "rotation", principal: "*" },
                expect: /lets anyone \(principal "\*"\) invoke the function/,
            },
        ],
    },
    // --- Kubernetes: every pod-bearing kind in every version ---
    ...podCases,
];

/** A recorded stack a stack rule judges: `ok` passes; each `bad` has at least one violation matching `expect`. */
export interface StackCase {
    rule: string;
    /** The form (type token) the case is about. */
    form: string;
    ok: PlanResourceState[];
    bad: { why: string; resources: PlanResourceState[]; expect: RegExp }[];
}

const lbGroup = resource(
    "aws:ec2/securityGroup:SecurityGroup",
    "lb",
    { description: "public ALB", tags: { tier: "public-lb" } },
    { outputs: { id: "sg-0lb" } },
);
const appGroup = resource(
    "aws:ec2/securityGroup:SecurityGroup",
    "app",
    { description: "API pods" },
    { outputs: { id: "sg-0app" } },
);
const world443 = (type: string, name: string, group: PlanResourceState): PlanResourceState =>
    resource(
        type,
        name,
        type.includes("securityGroupRule")
            ? {
                  type: "ingress",
                  securityGroupId: WIRE.unknown,
                  description: "https",
                  protocol: "tcp",
                  fromPort: 443,
                  toPort: 443,
                  cidrBlocks: ["0.0.0.0/0"],
              }
            : {
                  securityGroupId: WIRE.unknown,
                  description: "https",
                  ipProtocol: "tcp",
                  fromPort: 443,
                  toPort: 443,
                  cidrIpv4: "0.0.0.0/0",
              },
        { deps: { securityGroupId: [group] } },
    );

const plan = resource("aws:backup/plan:Plan", "daily", {
    name: "daily",
    rules: [{ ruleName: "all", targetVaultName: "v", schedule: "cron(0 3 * * ? *)", lifecycle: { deleteAfter: 120 } }],
});
const selection = resource(
    "aws:backup/selection:Selection",
    "sel",
    { planId: WIRE.unknown, iamRoleArn: "arn:role", selectionTags: [{ type: "STRINGEQUALS", key: "backup", value: "yes" }] },
    { deps: { planId: [plan] } },
);
const backupForm = (form: string, props: Props): StackCase => ({
    rule: "backup-coverage",
    form,
    ok: [
        resource(form, "selected", { ...props, tags: { backup: "yes" } }),
        resource(form, "derived", {
            ...props,
            tags: { "data-class": "derived", "data-class-reason": "rebuilt from the primary store" },
        }),
        plan,
        selection,
    ],
    bad: [
        {
            why: "untagged and unselected",
            resources: [resource(form, "untagged", props), plan, selection],
            expect: /holds primary data/,
        },
    ],
});

const alarm = (name: string, metric: string, dims: Props, from?: PlanResourceState): PlanResourceState =>
    resource(
        "aws:cloudwatch/metricAlarm:MetricAlarm",
        name,
        { metricName: metric, dimensions: dims, alarmActions: ["a"], okActions: ["a"], treatMissingData: "missing" },
        from ? { deps: { dimensions: [from] } } : {},
    );
const alarmsFor = (store: PlanResourceState, dimension: string, metrics: string[]) =>
    metrics.map((m) => alarm(`${m}-${store.urn.split("::").pop()}`, m, { [dimension]: WIRE.unknown }, store));
const RDS_METRICS = ["CPUUtilization", "FreeableMemory", "FreeStorageSpace", "DatabaseConnections"];
const AURORA_METRICS = ["CPUUtilization", "FreeableMemory", "FreeLocalStorage", "DatabaseConnections"];
const REDIS_METRICS = ["EngineCPUUtilization", "DatabaseMemoryUsagePercentage", "Evictions"];
const alarmForm = (form: string, props: Props, dimension: string, metrics: string[]): StackCase => {
    const store = resource(form, "store", props);
    return {
        rule: "data-store-alarms",
        form,
        ok: [store, ...alarmsFor(store, dimension, metrics)],
        bad: [
            {
                why: `no ${metrics[0]} alarm`,
                resources: [store, ...alarmsFor(store, dimension, metrics.slice(1))],
                expect: new RegExp(`no alarm on (CPUUtilization\\|)?${metrics[0]}`),
            },
        ],
    };
};

export const formStackCases: StackCase[] = [
    alarmForm("aws:rds/instance:Instance", { identifier: "db" }, "DBInstanceIdentifier", RDS_METRICS),
    alarmForm(RDS_CLUSTER, { clusterIdentifier: "aurora" }, "DBClusterIdentifier", AURORA_METRICS),
    alarmForm(
        "aws:elasticache/replicationGroup:ReplicationGroup",
        { replicationGroupId: "cache" },
        "ReplicationGroupId",
        REDIS_METRICS,
    ),
    alarmForm(CACHE_CLUSTER, { clusterId: "solo" }, "CacheClusterId", REDIS_METRICS),
    {
        rule: "sg-no-world-ingress",
        form: "aws:ec2/securityGroup:SecurityGroup",
        ok: [
            resource("aws:ec2/securityGroup:SecurityGroup", "lb-inline", {
                description: "x",
                tags: { tier: "public-lb" },
                ingress: [{ description: "https", protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: ["0.0.0.0/0"] }],
            }),
        ],
        bad: [
            {
                why: "world SSH inline",
                resources: [
                    resource("aws:ec2/securityGroup:SecurityGroup", "app-inline", {
                        description: "x",
                        ingress: [{ description: "ssh", protocol: "tcp", fromPort: 22, toPort: 22, cidrBlocks: ["0.0.0.0/0"] }],
                    }),
                ],
                expect: /not a tagged public load balancer/,
            },
        ],
    },
    {
        rule: "sg-no-world-ingress",
        form: "aws:ec2/securityGroupRule:SecurityGroupRule",
        ok: [lbGroup, world443("aws:ec2/securityGroupRule:SecurityGroupRule", "lb-https", lbGroup)],
        bad: [
            {
                why: "443 from the world on an app group",
                resources: [appGroup, world443("aws:ec2/securityGroupRule:SecurityGroupRule", "app-https", appGroup)],
                expect: /not a tagged public load balancer/,
            },
        ],
    },
    {
        rule: "sg-no-world-ingress",
        form: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
        ok: [lbGroup, world443("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", "lb-https", lbGroup)],
        bad: [
            {
                why: "443 from the world on an app group",
                resources: [
                    appGroup,
                    world443("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", "app-https", appGroup),
                ],
                expect: /not a tagged public load balancer/,
            },
        ],
    },
    backupForm("aws:rds/instance:Instance", { engine: "postgres" }),
    backupForm(RDS_CLUSTER, { engine: "aurora-postgresql" }),
    backupForm("aws:dynamodb/table:Table", { name: "t", hashKey: "id" }),
    backupForm("aws:efs/fileSystem:FileSystem", { encrypted: true }),
    backupForm("aws:ebs/volume:Volume", { availabilityZone: "eu-west-1a", size: 20 }),
    backupForm("aws:s3/bucket:Bucket", { bucket: "b" }),
    backupForm("aws:s3/bucketV2:BucketV2", { bucket: "b2" }),
];

// The shared fixtures are re-exported for specs that extend these cases.
export { rdsOk, redisOk };
