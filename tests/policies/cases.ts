/**
 * Compliant and violating resource shapes for every resource rule of both packs (POL-1, POL-2). Each
 * case is a real resource shape with @pulumi/aws v7 / Kubernetes input property names.
 */
import type { Rule } from "../../policies/lib/rule";
import { securityRules } from "../../policies/security/rules";
import { maintenanceRules } from "../../policies/maintenance/rules";
import { anchorRuleCases } from "./anchor-rule-cases";
import { externalSecretsNamespacedStoreCases } from "./cases/external-secrets-namespaced-store";
import { k8sRbacLeastPrivilegeCases } from "./cases/k8s-rbac-least-privilege";

export type Props = Record<string, unknown>;

export interface ResourceCase {
    rule: string;
    type: string;
    ok: Props;
    bad: { why: string; props: Props; expect: RegExp }[];
    config?: Record<string, unknown>;
    /** Set when an unknown value is itself a verdict (an unknown token is still a token), with the reason. */
    unknownIsPresent?: string;
}

export const allRules: Rule[] = [...securityRules, ...maintenanceRules];
export function ruleNamed(name: string): Rule {
    const rule = allRules.find((r) => r.name === name);
    if (!rule) {
        throw new Error(`no rule ${name}`);
    }
    return rule;
}

const KEY = "arn:aws:kms:eu-west-1:111122223333:key/0b1c2d3e-aaaa-bbbb-cccc-444455556666";
const RDS = "aws:rds/instance:Instance";
const REDIS = "aws:elasticache/replicationGroup:ReplicationGroup";
const EKS = "aws:eks/cluster:Cluster";
const LT = "aws:ec2/launchTemplate:LaunchTemplate";
const SG = "aws:ec2/securityGroup:SecurityGroup";
const TRAIL = "aws:cloudtrail/trail:Trail";
const ECR = "aws:ecr/repository:Repository";
const CF = "aws:cloudfront/distribution:Distribution";

export const rdsOk: Props = {
    engine: "postgres",
    engineVersion: "16",
    instanceClass: "db.t4g.medium",
    storageEncrypted: true,
    kmsKeyId: KEY,
    publiclyAccessible: false,
    manageMasterUserPassword: true,
    masterUserSecretKmsKeyId: KEY,
    username: "bookbuddy_admin",
    parameterGroupName: "bookbuddy-postgres16",
    backupRetentionPeriod: 14,
    multiAz: true,
    deletionProtection: true,
    skipFinalSnapshot: false,
    finalSnapshotIdentifier: "bookbuddy-db-final",
    performanceInsightsEnabled: true,
    performanceInsightsKmsKeyId: KEY,
    enabledCloudwatchLogsExports: ["postgresql", "upgrade"],
    autoMinorVersionUpgrade: true,
    copyTagsToSnapshot: true,
    monitoringInterval: 60,
    monitoringRoleArn: "arn:aws:iam::111122223333:role/rds-monitoring",
    tags: { "data-class": "primary", backup: "database" },
};

export const redisOk: Props = {
    engine: "redis",
    engineVersion: "7.1",
    nodeType: "cache.t4g.small",
    numCacheClusters: 2,
    atRestEncryptionEnabled: true,
    kmsKeyId: KEY,
    transitEncryptionEnabled: true,
    transitEncryptionMode: "required",
    authToken: "[secret]",
    authTokenUpdateStrategy: "ROTATE",
    automaticFailoverEnabled: true,
    multiAzEnabled: true,
    snapshotRetentionLimit: 7,
    subnetGroupName: "bookbuddy-cache",
    logDeliveryConfigurations: [
        { destination: "/bookbuddy/redis/slow", destinationType: "cloudwatch-logs", logFormat: "json", logType: "slow-log" },
        { destination: "/bookbuddy/redis/engine", destinationType: "cloudwatch-logs", logFormat: "json", logType: "engine-log" },
    ],
};

const eksOk: Props = {
    name: "bookbuddy",
    version: "1.33",
    roleArn: "arn:aws:iam::111122223333:role/eks",
    enabledClusterLogTypes: ["api", "audit", "authenticator", "controllerManager", "scheduler"],
    encryptionConfig: { resources: ["secrets"], provider: { keyArn: KEY } },
    vpcConfig: {
        subnetIds: ["subnet-a", "subnet-b"],
        endpointPrivateAccess: true,
        endpointPublicAccess: true,
        publicAccessCidrs: ["203.0.113.0/24"],
    },
};

const ltOk: Props = {
    metadataOptions: { httpEndpoint: "enabled", httpTokens: "required", httpPutResponseHopLimit: 2 },
    blockDeviceMappings: [
        { deviceName: "/dev/xvda", ebs: { encrypted: "true", kmsKeyId: KEY, volumeSize: 50, volumeType: "gp3" } },
    ],
};

const appSgOk: Props = {
    description: "API pods: from the load balancer only",
    ingress: [{ description: "HTTPS from the ALB", protocol: "tcp", fromPort: 8000, toPort: 8000, securityGroups: ["sg-alb"] }],
    egress: [{ description: "all egress through NAT", protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["0.0.0.0/0"] }],
};

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

export function deployment(containers: Props[], podExtra: Props = {}): Props {
    return {
        metadata: { name: "api", namespace: "bookbuddy" },
        spec: {
            replicas: 2,
            selector: { matchLabels: { app: "api" } },
            template: {
                metadata: { labels: { app: "api" } },
                spec: {
                    serviceAccountName: "api",
                    securityContext: { runAsNonRoot: true, runAsUser: 10001 },
                    containers,
                    ...podExtra,
                },
            },
        },
    };
}

const DEPLOY = "kubernetes:apps/v1:Deployment";
const INGRESS = "kubernetes:networking.k8s.io/v1:Ingress";

/** The API Ingress as the app component annotates it for the AWS Load Balancer Controller; `undefined` removes one. */
export function albIngress(overrides: Record<string, string | undefined> = {}, scheme = "internet-facing"): Props {
    const annotations: Record<string, string | undefined> = {
        "alb.ingress.kubernetes.io/scheme": scheme,
        "alb.ingress.kubernetes.io/target-type": "ip",
        "alb.ingress.kubernetes.io/listen-ports": JSON.stringify([{ HTTP: 80 }, { HTTPS: 443 }]),
        "alb.ingress.kubernetes.io/ssl-redirect": "443",
        "alb.ingress.kubernetes.io/certificate-arn": "arn:aws:acm:eu-west-1:111122223333:certificate/abc",
        "alb.ingress.kubernetes.io/ssl-policy": "ELBSecurityPolicy-TLS13-1-2-2021-06",
        "alb.ingress.kubernetes.io/wafv2-acl-arn": "arn:aws:wafv2:eu-west-1:111122223333:regional/webacl/bookbuddy-api/1",
        ...overrides,
    };
    return {
        apiVersion: "networking.k8s.io/v1",
        kind: "Ingress",
        metadata: {
            name: "bookbuddy-api",
            namespace: "bookbuddy",
            annotations: Object.fromEntries(Object.entries(annotations).filter(([, v]) => v !== undefined)),
        },
        spec: {
            ingressClassName: "alb",
            rules: [
                {
                    host: "api.bookbuddy.example",
                    http: {
                        paths: [
                            {
                                path: "/",
                                pathType: "Prefix",
                                backend: { service: { name: "bookbuddy-api", port: { name: "http" } } },
                            },
                        ],
                    },
                },
            ],
        },
    };
}
const policyDoc = (statements: Props[]) => JSON.stringify({ Version: "2012-10-17", Statement: statements });

export const resourceCases: ResourceCase[] = [
    // --- RDS (security) ---
    {
        rule: "rds-storage-encrypted-cmk",
        type: RDS,
        ok: rdsOk,
        bad: [
            { why: "unencrypted", props: { ...rdsOk, storageEncrypted: false }, expect: /storageEncrypted must be true/ },
            { why: "AWS-managed key", props: { ...rdsOk, kmsKeyId: undefined }, expect: /customer-managed/ },
        ],
    },
    {
        rule: "rds-not-publicly-accessible",
        type: RDS,
        ok: rdsOk,
        bad: [{ why: "public", props: { ...rdsOk, publiclyAccessible: true }, expect: /publiclyAccessible/ }],
    },
    {
        rule: "rds-managed-master-password",
        type: RDS,
        ok: rdsOk,
        bad: [
            {
                why: "plaintext password (secret in state)",
                props: { ...rdsOk, manageMasterUserPassword: undefined, password: "[secret]" },
                expect: /'password' is set/,
            },
            {
                why: "not managed",
                props: { ...rdsOk, manageMasterUserPassword: false },
                expect: /manageMasterUserPassword must be true/,
            },
        ],
    },
    {
        rule: "rds-force-ssl",
        type: "aws:rds/parameterGroup:ParameterGroup",
        ok: {
            family: "postgres16",
            parameters: [
                { name: "rds.force_ssl", value: "1" },
                { name: "shared_preload_libraries", value: "pg_stat_statements", applyMethod: "pending-reboot" },
            ],
        },
        bad: [
            {
                why: "force_ssl 0",
                props: { family: "postgres16", parameters: [{ name: "rds.force_ssl", value: "0" }] },
                expect: /must be 1/,
            },
            { why: "missing parameter", props: { family: "postgres16", parameters: [] }, expect: /missing/ },
            {
                why: "not postgres",
                props: { family: "mysql8.0", parameters: [{ name: "rds.force_ssl", value: "1" }] },
                expect: /postgres family/,
            },
        ],
    },
    {
        rule: "rds-force-ssl",
        type: RDS,
        ok: rdsOk,
        bad: [
            {
                why: "default parameter group",
                props: { ...rdsOk, parameterGroupName: "default.postgres16" },
                expect: /custom parameter group/,
            },
        ],
    },
    // --- ElastiCache (security) ---
    {
        rule: "elasticache-encryption-at-rest-cmk",
        type: REDIS,
        ok: redisOk,
        bad: [
            { why: "no at-rest", props: { ...redisOk, atRestEncryptionEnabled: false }, expect: /atRestEncryptionEnabled/ },
            { why: "no CMK", props: { ...redisOk, kmsKeyId: "" }, expect: /kmsKeyId/ },
        ],
    },
    {
        rule: "elasticache-encryption-in-transit",
        type: REDIS,
        ok: redisOk,
        bad: [
            { why: "no TLS", props: { ...redisOk, transitEncryptionEnabled: false }, expect: /transitEncryptionEnabled/ },
            { why: "preferred mode", props: { ...redisOk, transitEncryptionMode: "preferred" }, expect: /preferred/ },
        ],
    },
    {
        rule: "elasticache-auth",
        type: REDIS,
        ok: redisOk,
        unknownIsPresent: "an AUTH token or user group not known yet is still configured",
        bad: [{ why: "open cache", props: { ...redisOk, authToken: undefined }, expect: /neither authToken nor userGroupIds/ }],
    },
    {
        rule: "elasticache-private-subnet-group",
        type: REDIS,
        ok: redisOk,
        bad: [
            { why: "default group", props: { ...redisOk, subnetGroupName: "default" }, expect: /subnetGroupName/ },
            { why: "absent", props: { ...redisOk, subnetGroupName: undefined }, expect: /subnetGroupName/ },
        ],
    },
    // --- S3 (security) ---
    {
        rule: "s3-public-access-block",
        type: "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
        ok: {
            bucket: "bookbuddy-media",
            blockPublicAcls: true,
            blockPublicPolicy: true,
            ignorePublicAcls: true,
            restrictPublicBuckets: true,
        },
        bad: [
            {
                why: "one switch off",
                props: {
                    bucket: "bookbuddy-media",
                    blockPublicAcls: true,
                    blockPublicPolicy: false,
                    ignorePublicAcls: true,
                    restrictPublicBuckets: true,
                },
                expect: /blockPublicPolicy must be true/,
            },
        ],
    },
    {
        rule: "s3-encryption-kms",
        type: "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
        ok: {
            bucket: "bookbuddy-media",
            rules: [
                { applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: KEY }, bucketKeyEnabled: true },
            ],
        },
        bad: [
            {
                why: "AES256",
                props: {
                    bucket: "b",
                    rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" }, bucketKeyEnabled: true }],
                },
                expect: /aws:kms/,
            },
            {
                why: "no bucket key",
                props: {
                    bucket: "b",
                    rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: KEY } }],
                },
                expect: /bucketKeyEnabled/,
            },
            { why: "no rules", props: { bucket: "b", rules: [] }, expect: /no encryption rule/ },
        ],
    },
    {
        rule: "s3-encryption-kms",
        type: "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2",
        ok: {
            bucket: "bookbuddy-media",
            rules: [
                {
                    applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms:dsse", kmsMasterKeyId: KEY },
                    bucketKeyEnabled: true,
                },
            ],
        },
        bad: [
            {
                why: "aws managed key",
                props: {
                    bucket: "b",
                    rules: [
                        {
                            applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: "alias/aws/s3" },
                            bucketKeyEnabled: true,
                        },
                    ],
                },
                expect: /customer-managed/,
            },
        ],
    },
    {
        rule: "s3-encryption-kms",
        type: "aws:s3/bucket:Bucket",
        ok: {
            bucket: "bookbuddy-media",
            serverSideEncryptionConfiguration: {
                rule: {
                    applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: KEY },
                    bucketKeyEnabled: true,
                },
            },
        },
        bad: [
            {
                why: "inline AES256",
                props: {
                    bucket: "b",
                    serverSideEncryptionConfiguration: {
                        rule: { applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } },
                    },
                },
                expect: /aws:kms/,
            },
        ],
    },
    {
        rule: "s3-tls-only-policy",
        type: "aws:s3/bucketPolicy:BucketPolicy",
        ok: {
            bucket: "bookbuddy-media",
            policy: policyDoc([
                {
                    Sid: "TlsOnly",
                    Effect: "Deny",
                    Principal: "*",
                    Action: "s3:*",
                    Resource: ["arn:aws:s3:::bookbuddy-media", "arn:aws:s3:::bookbuddy-media/*"],
                    Condition: { Bool: { "aws:SecureTransport": "false" } },
                },
            ]),
        },
        bad: [
            {
                why: "no deny",
                props: {
                    bucket: "b",
                    policy: policyDoc([
                        {
                            Effect: "Allow",
                            Principal: { Service: "cloudfront.amazonaws.com" },
                            Action: "s3:GetObject",
                            Resource: "arn:aws:s3:::b/*",
                        },
                    ]),
                },
                expect: /aws:SecureTransport/,
            },
            { why: "not JSON", props: { bucket: "b", policy: "{not json" }, expect: /not a JSON policy document/ },
        ],
    },
    {
        rule: "s3-ownership-enforced",
        type: "aws:s3/bucketOwnershipControls:BucketOwnershipControls",
        ok: { bucket: "b", rule: { objectOwnership: "BucketOwnerEnforced" } },
        bad: [
            { why: "ACLs on", props: { bucket: "b", rule: { objectOwnership: "ObjectWriter" } }, expect: /BucketOwnerEnforced/ },
        ],
    },
    // --- EKS (security) ---
    {
        rule: "eks-control-plane-logging",
        type: EKS,
        ok: eksOk,
        bad: [
            {
                why: "partial logs",
                props: { ...eksOk, enabledClusterLogTypes: ["api", "audit"] },
                expect: /authenticator, controllerManager, scheduler/,
            },
        ],
    },
    {
        rule: "eks-secrets-encryption",
        type: EKS,
        ok: eksOk,
        bad: [
            { why: "none", props: { ...eksOk, encryptionConfig: undefined }, expect: /encryptionConfig is missing/ },
            {
                why: "no secrets resource",
                props: { ...eksOk, encryptionConfig: { resources: [], provider: { keyArn: KEY } } },
                expect: /"secrets"/,
            },
        ],
    },
    {
        rule: "eks-endpoint-restricted",
        type: EKS,
        ok: eksOk,
        bad: [
            {
                why: "world-open",
                props: {
                    ...eksOk,
                    vpcConfig: {
                        subnetIds: [],
                        endpointPrivateAccess: true,
                        endpointPublicAccess: true,
                        publicAccessCidrs: ["0.0.0.0/0"],
                    },
                },
                expect: /open to the internet/,
            },
            {
                why: "public, no CIDRs (defaults to world)",
                props: { ...eksOk, vpcConfig: { subnetIds: [], endpointPrivateAccess: true } },
                expect: /open to the internet/,
            },
            {
                why: "no private access",
                props: { ...eksOk, vpcConfig: { subnetIds: [], endpointPrivateAccess: false, endpointPublicAccess: false } },
                expect: /endpointPrivateAccess/,
            },
        ],
    },
    {
        rule: "eks-nodegroup-launch-template",
        type: "aws:eks/nodeGroup:NodeGroup",
        ok: {
            clusterName: "bookbuddy",
            nodeRoleArn: "arn:aws:iam::111122223333:role/nodes",
            subnetIds: ["subnet-a"],
            launchTemplate: { id: "lt-0abc", version: "3" },
            scalingConfig: { minSize: 2, maxSize: 6, desiredSize: 2 },
        },
        bad: [
            {
                why: "no template",
                props: { clusterName: "bookbuddy", subnetIds: ["subnet-a"] },
                expect: /launchTemplate is missing/,
            },
            {
                why: "SSH",
                props: {
                    clusterName: "bookbuddy",
                    launchTemplate: { id: "lt-0abc", version: "3" },
                    remoteAccess: { ec2SshKey: "ops" },
                },
                expect: /SSH/,
            },
        ],
    },
    {
        rule: "launch-template-imdsv2",
        type: LT,
        ok: ltOk,
        bad: [
            {
                why: "IMDSv1",
                props: { ...ltOk, metadataOptions: { httpTokens: "optional", httpPutResponseHopLimit: 1 } },
                expect: /httpTokens/,
            },
            {
                why: "hop limit",
                props: { ...ltOk, metadataOptions: { httpTokens: "required", httpPutResponseHopLimit: 5 } },
                expect: /at most 2/,
            },
        ],
    },
    {
        rule: "launch-template-ebs-encrypted",
        type: LT,
        ok: ltOk,
        bad: [
            {
                why: "unencrypted",
                props: { ...ltOk, blockDeviceMappings: [{ deviceName: "/dev/xvda", ebs: { encrypted: "false" } }] },
                expect: /encrypted must be "true"/,
            },
            { why: "no volume declared", props: { ...ltOk, blockDeviceMappings: [] }, expect: /no EBS volume/ },
        ],
    },
    // --- Network / IAM / KMS (security) ---
    {
        rule: "sg-rule-description",
        type: SG,
        ok: appSgOk,
        bad: [
            {
                why: "undescribed rule",
                props: { ...appSgOk, egress: [{ protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["0.0.0.0/0"] }] },
                expect: /egress\[0\] has no description/,
            },
            {
                why: "default group description",
                props: { ...appSgOk, description: "Managed by Pulumi" },
                expect: /needs a description/,
            },
        ],
    },
    {
        rule: "sg-rule-description",
        type: "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule",
        ok: {
            securityGroupId: "sg-1",
            description: "HTTPS to AWS APIs",
            ipProtocol: "tcp",
            fromPort: 443,
            toPort: 443,
            cidrIpv4: "0.0.0.0/0",
        },
        bad: [
            {
                why: "blank",
                props: {
                    securityGroupId: "sg-1",
                    description: " ",
                    ipProtocol: "tcp",
                    fromPort: 443,
                    toPort: 443,
                    cidrIpv4: "0.0.0.0/0",
                },
                expect: /no description/,
            },
        ],
    },
    {
        rule: "default-sg-closed",
        type: "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup",
        ok: { vpcId: "vpc-1", ingress: [], egress: [] },
        bad: [
            {
                why: "self ingress",
                props: { vpcId: "vpc-1", ingress: [{ protocol: "-1", fromPort: 0, toPort: 0, self: true }] },
                expect: /ingress must be empty/,
            },
        ],
    },
    {
        rule: "iam-no-admin-wildcard",
        type: "aws:iam/policy:Policy",
        ok: {
            policy: policyDoc([
                { Effect: "Allow", Action: ["s3:GetObject", "s3:PutObject"], Resource: "arn:aws:s3:::bookbuddy-media/*" },
            ]),
        },
        bad: [
            {
                why: "admin",
                props: { policy: policyDoc([{ Effect: "Allow", Action: "*", Resource: "*" }]) },
                expect: /administrator access/,
            },
            {
                why: "NotAction on *",
                props: { policy: policyDoc([{ Effect: "Allow", NotAction: "iam:*", Resource: "*" }]) },
                expect: /NotAction/,
            },
        ],
    },
    {
        rule: "iam-no-admin-wildcard",
        type: "aws:iam/role:Role",
        ok: {
            assumeRolePolicy: policyDoc([
                { Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" },
            ]),
            inlinePolicies: [
                {
                    name: "read",
                    policy: policyDoc([
                        {
                            Effect: "Allow",
                            Action: "secretsmanager:GetSecretValue",
                            Resource: "arn:aws:secretsmanager:eu-west-1:111122223333:secret:api-*",
                        },
                    ]),
                },
            ],
        },
        bad: [
            {
                why: "inline admin",
                props: {
                    inlinePolicies: [{ name: "admin", policy: policyDoc([{ Effect: "Allow", Action: ["*"], Resource: ["*"] }]) }],
                },
                expect: /inlinePolicies\[0\]/,
            },
        ],
    },
    {
        rule: "iam-no-admin-wildcard",
        type: "aws:iam/rolePolicy:RolePolicy",
        ok: {
            role: "api",
            policy: {
                Version: "2012-10-17",
                Statement: [
                    { Effect: "Deny", Action: "*", Resource: "*", Condition: { Bool: { "aws:SecureTransport": "false" } } },
                ],
            },
        },
        bad: [{ why: "invalid document", props: { role: "api", policy: "not json" }, expect: /not a valid policy document/ }],
    },
    {
        rule: "iam-no-service-wildcard",
        type: "aws:iam/rolePolicy:RolePolicy",
        ok: { role: "api", policy: policyDoc([{ Effect: "Allow", Action: "s3:*", Resource: "arn:aws:s3:::bookbuddy-media/*" }]) },
        bad: [
            {
                why: "s3:* on *",
                props: {
                    role: "api",
                    policy: policyDoc([{ Effect: "Allow", Action: ["s3:*", "logs:PutLogEvents"], Resource: "*" }]),
                },
                expect: /s3:\*/,
            },
        ],
    },
    // The trust-policy and "no anonymous access" concerns have one rule each (SEC-3, SEC-4, STORE-1, POL-4).
    {
        rule: "iam-trust-policy-scoped",
        type: "aws:iam/role:Role",
        ok: {
            assumeRolePolicy: policyDoc([
                { Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" },
            ]),
        },
        bad: [
            {
                why: "anyone may assume",
                props: { assumeRolePolicy: policyDoc([{ Effect: "Allow", Principal: { AWS: "*" }, Action: "sts:AssumeRole" }]) },
                expect: /Statement\[0\] lets any principal \("\*"\) assume the role/,
            },
            {
                why: "anyone may assume, even under a Condition",
                props: {
                    assumeRolePolicy: policyDoc([
                        {
                            Effect: "Allow",
                            Principal: "*",
                            Action: "sts:AssumeRole",
                            Condition: { StringEquals: { "aws:PrincipalAccount": "111122223333" } },
                        },
                    ]),
                },
                expect: /lets any principal/,
            },
            { why: "not JSON", props: { assumeRolePolicy: "{" }, expect: /assumeRolePolicy is not a policy document/ },
        ],
    },
    {
        rule: "resource-policy-no-public-principal",
        type: "aws:kms/keyPolicy:KeyPolicy",
        ok: {
            keyId: "k",
            policy: policyDoc([
                { Effect: "Allow", Principal: { AWS: "arn:aws:iam::111122223333:root" }, Action: "kms:*", Resource: "*" },
            ]),
        },
        bad: [
            {
                why: "public decrypt",
                props: {
                    keyId: "k",
                    policy: policyDoc([{ Effect: "Allow", Principal: "*", Action: "kms:Decrypt", Resource: "*" }]),
                },
                expect: /policy Statement\[0\] allows Principal "\*" "kms:Decrypt"/,
            },
            {
                why: '"*" under a Condition is still a grant to everyone',
                props: {
                    keyId: "k",
                    policy: policyDoc([
                        {
                            Effect: "Allow",
                            Principal: "*",
                            Action: "kms:Decrypt",
                            Resource: "*",
                            Condition: { StringEquals: { "aws:PrincipalAccount": "111122223333" } },
                        },
                    ]),
                },
                expect: /allows Principal "\*"/,
            },
            { why: "a key policy resource without a document", props: { keyId: "k" }, expect: /declares no policy document/ },
            { why: "not JSON", props: { keyId: "k", policy: "{" }, expect: /policy is not a policy document/ },
        ],
    },
    {
        rule: "resource-policy-no-public-principal",
        type: "aws:s3/bucketPolicy:BucketPolicy",
        ok: {
            bucket: "b",
            policy: policyDoc([
                {
                    Effect: "Allow",
                    Principal: { Service: "cloudfront.amazonaws.com" },
                    Action: "s3:GetObject",
                    Resource: "arn:aws:s3:::b/*",
                    Condition: { StringEquals: { "AWS:SourceArn": "arn:aws:cloudfront::111122223333:distribution/E1" } },
                },
            ]),
        },
        bad: [
            {
                why: "public read",
                props: {
                    bucket: "b",
                    policy: policyDoc([
                        { Effect: "Allow", Principal: "*", Action: "s3:GetObject", Resource: "arn:aws:s3:::b/*" },
                    ]),
                },
                expect: /Statement\[0\] allows Principal "\*" "s3:GetObject"/,
            },
        ],
    },
    // An Allow with NotPrincipal grants everyone not listed: iam-no-allow-not owns that concern in every policy document.
    {
        rule: "iam-no-allow-not",
        type: "aws:s3/bucketPolicy:BucketPolicy",
        ok: {
            bucket: "b",
            policy: policyDoc([
                {
                    Effect: "Allow",
                    Principal: { Service: "cloudfront.amazonaws.com" },
                    Action: "s3:GetObject",
                    Resource: "arn:aws:s3:::b/*",
                    Condition: { StringEquals: { "AWS:SourceArn": "arn:aws:cloudfront::111122223333:distribution/E1" } },
                },
            ]),
        },
        bad: [
            {
                why: "NotPrincipal allow",
                props: {
                    bucket: "b",
                    policy: policyDoc([
                        {
                            Effect: "Allow",
                            NotPrincipal: { AWS: "arn:aws:iam::111122223333:root" },
                            Action: "s3:*",
                            Resource: "arn:aws:s3:::b/*",
                        },
                    ]),
                },
                expect: /Statement\[0\] allows with NotPrincipal/,
            },
        ],
    },
    {
        rule: "kms-key-rotation",
        type: "aws:kms/key:Key",
        ok: { description: "database", enableKeyRotation: true, rotationPeriodInDays: 365, deletionWindowInDays: 30 },
        bad: [
            { why: "no rotation", props: { description: "db" }, expect: /enableKeyRotation must be true/ },
            {
                why: "too slow",
                props: { description: "db", enableKeyRotation: true, rotationPeriodInDays: 730 },
                expect: /at most 365/,
            },
        ],
    },
    // --- Secrets (security) ---
    {
        rule: "secret-cmk",
        type: "aws:secretsmanager/secret:Secret",
        ok: { name: "bookbuddy/api/jwt", kmsKeyId: KEY, tags: { "rotation-class": "jwt" } },
        bad: [
            { why: "default key", props: { name: "x" }, expect: /customer-managed/ },
            { why: "aws alias", props: { name: "x", kmsKeyId: "alias/aws/secretsmanager" }, expect: /customer-managed/ },
        ],
    },
    {
        rule: "secret-rotation-class",
        type: "aws:secretsmanager/secret:Secret",
        ok: { name: "bookbuddy/api/jwt", kmsKeyId: KEY, tags: { "rotation-class": "jwt" } },
        bad: [
            { why: "no tag", props: { name: "x", kmsKeyId: KEY, tags: {} }, expect: /rotation-class must be one of/ },
            {
                why: "unknown class",
                props: { name: "x", tags: { "rotation-class": "forever" } },
                expect: /database, jwt, api-key, redis-auth/,
            },
        ],
    },
    // --- Logs, alarms, audit, registry, edge (security) ---
    {
        rule: "log-group-kms",
        type: "aws:cloudwatch/logGroup:LogGroup",
        ok: { name: "/bookbuddy/api", retentionInDays: 90, kmsKeyId: KEY },
        bad: [{ why: "no key", props: { name: "/bookbuddy/api", retentionInDays: 90 }, expect: /kmsKeyId/ }],
    },
    {
        rule: "sns-topic-encrypted",
        type: "aws:sns/topic:Topic",
        ok: { name: "bookbuddy-alarms", kmsMasterKeyId: KEY },
        bad: [
            { why: "unencrypted", props: { name: "a" }, expect: /customer-managed/ },
            { why: "aws/sns", props: { name: "a", kmsMasterKeyId: "alias/aws/sns" }, expect: /alias\/aws\/sns/ },
        ],
    },
    {
        rule: "cloudtrail-multi-region",
        type: TRAIL,
        ok: { s3BucketName: "audit", isMultiRegionTrail: true, enableLogFileValidation: true, kmsKeyId: KEY },
        bad: [
            {
                why: "single region",
                props: { s3BucketName: "audit", enableLogFileValidation: true, kmsKeyId: KEY },
                expect: /isMultiRegionTrail/,
            },
        ],
    },
    {
        rule: "cloudtrail-log-validation",
        type: TRAIL,
        ok: { s3BucketName: "audit", isMultiRegionTrail: true, enableLogFileValidation: true, kmsKeyId: KEY },
        bad: [
            {
                why: "no digest",
                props: { s3BucketName: "audit", isMultiRegionTrail: true, kmsKeyId: KEY },
                expect: /enableLogFileValidation/,
            },
        ],
    },
    {
        rule: "cloudtrail-kms",
        type: TRAIL,
        ok: { s3BucketName: "audit", isMultiRegionTrail: true, enableLogFileValidation: true, kmsKeyId: KEY },
        bad: [
            {
                why: "SSE-S3 only",
                props: { s3BucketName: "audit", isMultiRegionTrail: true, enableLogFileValidation: true },
                expect: /kmsKeyId/,
            },
        ],
    },
    {
        rule: "guardduty-enabled",
        type: "aws:guardduty/detector:Detector",
        ok: { enable: true },
        bad: [{ why: "suspended", props: { enable: false }, expect: /enable must not be false/ }],
    },
    {
        rule: "ecr-scan-on-push",
        type: ECR,
        ok: {
            name: "api",
            imageScanningConfiguration: { scanOnPush: true },
            imageTagMutability: "IMMUTABLE",
            encryptionConfigurations: [{ encryptionType: "KMS", kmsKey: KEY }],
        },
        bad: [{ why: "no scanning", props: { name: "api" }, expect: /scanOnPush/ }],
    },
    {
        rule: "ecr-immutable-tags",
        type: ECR,
        ok: { name: "api", imageTagMutability: "IMMUTABLE" },
        bad: [{ why: "mutable", props: { name: "api", imageTagMutability: "MUTABLE" }, expect: /IMMUTABLE/ }],
    },
    {
        rule: "ecr-kms",
        type: ECR,
        ok: { name: "api", encryptionConfigurations: [{ encryptionType: "KMS", kmsKey: KEY }] },
        bad: [
            {
                why: "AES256",
                props: { name: "api", encryptionConfigurations: [{ encryptionType: "AES256" }] },
                expect: /must be KMS/,
            },
            {
                why: "AWS-managed KMS",
                props: { name: "api", encryptionConfigurations: [{ encryptionType: "KMS" }] },
                expect: /kmsKey must name/,
            },
        ],
    },
    {
        rule: "cloudfront-https-only",
        type: CF,
        ok: {
            enabled: true,
            defaultCacheBehavior: { viewerProtocolPolicy: "redirect-to-https" },
            orderedCacheBehaviors: [{ pathPattern: "/media/*", viewerProtocolPolicy: "https-only" }],
        },
        bad: [
            {
                why: "allow-all",
                props: { defaultCacheBehavior: { viewerProtocolPolicy: "allow-all" } },
                expect: /defaultCacheBehavior/,
            },
            {
                why: "ordered allow-all",
                props: {
                    defaultCacheBehavior: { viewerProtocolPolicy: "https-only" },
                    orderedCacheBehaviors: [{ viewerProtocolPolicy: "allow-all" }],
                },
                expect: /orderedCacheBehaviors\[0\]/,
            },
        ],
    },
    {
        rule: "cloudfront-tls-minimum",
        type: CF,
        ok: {
            viewerCertificate: {
                acmCertificateArn: "arn:aws:acm:us-east-1:111122223333:certificate/abc",
                sslSupportMethod: "sni-only",
                minimumProtocolVersion: "TLSv1.2_2021",
            },
        },
        bad: [
            {
                why: "default cert",
                props: { viewerCertificate: { cloudfrontDefaultCertificate: true } },
                expect: /default \*\.cloudfront\.net certificate/,
            },
            {
                why: "TLS 1.1",
                props: { viewerCertificate: { acmCertificateArn: "arn", minimumProtocolVersion: "TLSv1.1_2016" } },
                expect: /minimumProtocolVersion/,
            },
        ],
    },
    {
        rule: "cloudfront-origin-access-control",
        type: CF,
        ok: {
            origins: [
                { originId: "media", domainName: "bookbuddy-media.s3.eu-west-1.amazonaws.com", originAccessControlId: "oac-1" },
                {
                    originId: "api",
                    domainName: "api.bookbuddy.example",
                    customOriginConfig: { originProtocolPolicy: "https-only" },
                },
            ],
        },
        bad: [
            {
                why: "S3 origin without OAC",
                props: { origins: [{ originId: "media", domainName: "bookbuddy-media.s3.amazonaws.com" }] },
                expect: /without an origin access control/,
            },
        ],
    },
    {
        rule: "alb-listener-https",
        type: "aws:lb/listener:Listener",
        ok: {
            protocol: "HTTPS",
            port: 443,
            sslPolicy: "ELBSecurityPolicy-TLS13-1-2-2021-06",
            certificateArn: "arn:aws:acm:eu-west-1:1:certificate/x",
            defaultActions: [{ type: "forward", targetGroupArn: "arn:tg" }],
        },
        bad: [
            {
                why: "old TLS policy",
                props: { protocol: "HTTPS", sslPolicy: "ELBSecurityPolicy-2016-08" },
                expect: /sslPolicy must be one of/,
            },
            {
                why: "plain HTTP forward",
                props: { protocol: "HTTP", port: 80, defaultActions: [{ type: "forward", targetGroupArn: "arn:tg" }] },
                expect: /only redirect to HTTPS/,
            },
        ],
    },
    {
        rule: "alb-listener-https",
        type: "aws:alb/listener:Listener",
        ok: {
            protocol: "HTTP",
            port: 80,
            defaultActions: [{ type: "redirect", redirect: { protocol: "HTTPS", port: "443", statusCode: "HTTP_301" } }],
        },
        bad: [
            {
                why: "redirect to HTTP",
                props: {
                    protocol: "HTTP",
                    defaultActions: [{ type: "redirect", redirect: { protocol: "HTTP", statusCode: "HTTP_302" } }],
                },
                expect: /only redirect/,
            },
        ],
    },
    {
        rule: "backup-vault-cmk",
        type: "aws:backup/vault:Vault",
        ok: { name: "bookbuddy", kmsKeyArn: KEY },
        bad: [{ why: "default key", props: { name: "bookbuddy" }, expect: /kmsKeyArn/ }],
    },
    // --- Kubernetes (security) ---
    {
        rule: "k8s-no-privileged",
        type: DEPLOY,
        ok: deployment([container()]),
        bad: [
            {
                why: "privileged",
                props: deployment([container({ securityContext: { privileged: true, allowPrivilegeEscalation: false } })]),
                expect: /is privileged/,
            },
            { why: "host network", props: deployment([container()], { hostNetwork: true }), expect: /hostNetwork/ },
        ],
    },
    {
        rule: "k8s-no-privileged",
        type: "kubernetes:batch/v1:CronJob",
        ok: {
            spec: {
                schedule: "0 3 * * 0",
                jobTemplate: {
                    spec: {
                        template: {
                            spec: {
                                restartPolicy: "Never",
                                securityContext: { runAsNonRoot: true },
                                containers: [container({ name: "vacuum" })],
                            },
                        },
                    },
                },
            },
        },
        bad: [
            {
                why: "privileged job",
                props: {
                    spec: {
                        schedule: "0 3 * * 0",
                        jobTemplate: {
                            spec: { template: { spec: { containers: [container({ securityContext: { privileged: true } })] } } },
                        },
                    },
                },
                expect: /privileged/,
            },
        ],
    },
    {
        rule: "k8s-no-privilege-escalation",
        type: "kubernetes:apps/v1:DaemonSet",
        ok: deployment([container()]),
        bad: [
            {
                why: "implicit default",
                props: deployment([container({ securityContext: { runAsNonRoot: true } })]),
                expect: /allowPrivilegeEscalation: false/,
            },
        ],
    },
    {
        rule: "k8s-run-as-non-root",
        type: "kubernetes:apps/v1:StatefulSet",
        ok: deployment([container()]),
        bad: [
            {
                why: "root uid",
                props: deployment([container({ securityContext: { allowPrivilegeEscalation: false, runAsUser: 0 } })], {
                    securityContext: { runAsNonRoot: true },
                }),
                expect: /uid 0/,
            },
            {
                why: "no runAsNonRoot",
                props: deployment([container({ securityContext: { allowPrivilegeEscalation: false } })], { securityContext: {} }),
                expect: /runAsNonRoot: true/,
            },
        ],
    },
    {
        rule: "k8s-image-pinned",
        type: "kubernetes:batch/v1:Job",
        ok: deployment([
            container(),
            container({ name: "sidecar", image: "public.ecr.aws/aws-observability/aws-for-fluent-bit@sha256:0123456789abcdef" }),
        ]),
        bad: [
            {
                why: "latest",
                props: deployment([container({ image: "111122223333.dkr.ecr.eu-west-1.amazonaws.com/api:latest" })]),
                expect: /no pinned tag/,
            },
            {
                why: "untagged with registry port",
                props: deployment([container({ image: "registry.internal:5000/team/api" })]),
                expect: /no pinned tag/,
            },
        ],
    },
    {
        rule: "k8s-ingress-alb-tls",
        type: INGRESS,
        ok: albIngress(),
        bad: [
            {
                why: "default listen ports (HTTP only)",
                props: albIngress({ "alb.ingress.kubernetes.io/listen-ports": undefined }),
                expect: /no HTTPS listener \(the default is HTTP on 80\)/,
            },
            {
                why: "HTTP listener without ssl-redirect",
                props: albIngress({ "alb.ingress.kubernetes.io/ssl-redirect": undefined }),
                expect: /must redirect to HTTPS/,
            },
            {
                why: "ssl-redirect to a port that is not HTTPS",
                props: albIngress({ "alb.ingress.kubernetes.io/ssl-redirect": "8443" }),
                expect: /ssl-redirect to one of the HTTPS ports \(443\)/,
            },
            {
                why: "controller default ssl-policy (TLS 1.0)",
                props: albIngress({ "alb.ingress.kubernetes.io/ssl-policy": undefined }),
                expect: /ssl-policy must be one of/,
            },
            {
                why: "TLS 1.1 ssl-policy",
                props: albIngress({ "alb.ingress.kubernetes.io/ssl-policy": "ELBSecurityPolicy-TLS-1-1-2017-01" }),
                expect: /TLS 1.2 or newer/,
            },
            {
                why: "no certificate",
                props: albIngress({ "alb.ingress.kubernetes.io/certificate-arn": undefined }),
                expect: /needs a certificate/,
            },
            {
                why: "malformed listen-ports",
                props: albIngress({ "alb.ingress.kubernetes.io/listen-ports": "443" }),
                expect: /must be a JSON list/,
            },
        ],
    },
    {
        rule: "k8s-ingress-alb-tls",
        type: INGRESS,
        ok: {
            metadata: {
                name: "grafana",
                annotations: {
                    "kubernetes.io/ingress.class": "alb",
                    "alb.ingress.kubernetes.io/listen-ports": '[{"HTTPS":443}]',
                    "alb.ingress.kubernetes.io/ssl-policy": "ELBSecurityPolicy-TLS13-1-2-2021-06",
                },
            },
            spec: { tls: [{ hosts: ["grafana.bookbuddy.example"] }], rules: [] },
        },
        bad: [
            {
                why: "HTTPS-only legacy-class Ingress on an old policy",
                props: {
                    metadata: {
                        annotations: {
                            "kubernetes.io/ingress.class": "alb",
                            "alb.ingress.kubernetes.io/listen-ports": '[{"HTTPS":443}]',
                            "alb.ingress.kubernetes.io/ssl-policy": "ELBSecurityPolicy-2016-08",
                        },
                    },
                    spec: { tls: [{ hosts: ["g"] }] },
                },
                expect: /ssl-policy must be one of/,
            },
        ],
    },
    // --- Maintenance: RDS ---
    {
        rule: "rds-backup-retention",
        type: RDS,
        ok: rdsOk,
        bad: [
            { why: "too short", props: { ...rdsOk, backupRetentionPeriod: 3 }, expect: /at least 7/ },
            { why: "unset", props: { ...rdsOk, backupRetentionPeriod: undefined }, expect: /unset/ },
        ],
    },
    {
        rule: "rds-backup-retention",
        type: RDS,
        ok: rdsOk,
        config: { minDays: 14 },
        bad: [{ why: "prod minimum", props: { ...rdsOk, backupRetentionPeriod: 7 }, expect: /at least 14/ }],
    },
    {
        rule: "rds-multi-az",
        type: RDS,
        ok: rdsOk,
        bad: [{ why: "single AZ", props: { ...rdsOk, multiAz: false }, expect: /multiAz/ }],
    },
    {
        rule: "rds-deletion-protection",
        type: RDS,
        ok: rdsOk,
        bad: [{ why: "off", props: { ...rdsOk, deletionProtection: undefined }, expect: /deletionProtection/ }],
    },
    {
        rule: "rds-final-snapshot",
        type: RDS,
        ok: rdsOk,
        bad: [
            { why: "skipped", props: { ...rdsOk, skipFinalSnapshot: true }, expect: /skipFinalSnapshot must be false/ },
            { why: "no identifier", props: { ...rdsOk, finalSnapshotIdentifier: undefined }, expect: /finalSnapshotIdentifier/ },
        ],
    },
    {
        rule: "rds-performance-insights",
        type: RDS,
        ok: rdsOk,
        bad: [
            { why: "off", props: { ...rdsOk, performanceInsightsEnabled: false }, expect: /performanceInsightsEnabled/ },
            { why: "no key", props: { ...rdsOk, performanceInsightsKmsKeyId: undefined }, expect: /performanceInsightsKmsKeyId/ },
        ],
    },
    {
        rule: "rds-performance-insights",
        type: RDS,
        ok: { ...rdsOk, performanceInsightsEnabled: undefined, databaseInsightsMode: "advanced" },
        bad: [
            {
                why: "standard mode only",
                props: { ...rdsOk, performanceInsightsEnabled: undefined, databaseInsightsMode: "standard" },
                expect: /performanceInsightsEnabled/,
            },
        ],
    },
    {
        rule: "rds-log-exports",
        type: RDS,
        ok: rdsOk,
        bad: [
            {
                why: "upgrade missing",
                props: { ...rdsOk, enabledCloudwatchLogsExports: ["postgresql"] },
                expect: /lacks upgrade/,
            },
        ],
    },
    {
        rule: "rds-auto-minor-upgrade",
        type: RDS,
        ok: rdsOk,
        bad: [{ why: "off", props: { ...rdsOk, autoMinorVersionUpgrade: false }, expect: /autoMinorVersionUpgrade/ }],
    },
    {
        rule: "rds-copy-tags-to-snapshot",
        type: RDS,
        ok: rdsOk,
        bad: [{ why: "off", props: { ...rdsOk, copyTagsToSnapshot: undefined }, expect: /copyTagsToSnapshot/ }],
    },
    {
        rule: "rds-enhanced-monitoring",
        type: RDS,
        ok: rdsOk,
        bad: [
            { why: "off", props: { ...rdsOk, monitoringInterval: 0 }, expect: /monitoringInterval/ },
            { why: "no role", props: { ...rdsOk, monitoringRoleArn: undefined }, expect: /monitoringRoleArn/ },
        ],
    },
    // --- Maintenance: ElastiCache ---
    {
        rule: "elasticache-multi-az-failover",
        type: REDIS,
        ok: redisOk,
        bad: [
            {
                why: "single node",
                props: { ...redisOk, automaticFailoverEnabled: false, multiAzEnabled: false, numCacheClusters: 1 },
                expect: /automaticFailoverEnabled/,
            },
            { why: "no replica", props: { ...redisOk, numCacheClusters: 1 }, expect: /replica/ },
        ],
    },
    {
        rule: "elasticache-snapshot-retention",
        type: REDIS,
        ok: redisOk,
        bad: [{ why: "no snapshots", props: { ...redisOk, snapshotRetentionLimit: 0 }, expect: /at least 1/ }],
    },
    {
        rule: "elasticache-log-delivery",
        type: REDIS,
        ok: redisOk,
        bad: [
            {
                why: "engine log missing",
                props: {
                    ...redisOk,
                    logDeliveryConfigurations: [
                        { logType: "slow-log", destinationType: "cloudwatch-logs", destination: "x", logFormat: "json" },
                    ],
                },
                expect: /engine-log/,
            },
        ],
    },
    // --- Maintenance: S3 ---
    {
        rule: "s3-versioning",
        type: "aws:s3/bucketVersioning:BucketVersioning",
        ok: { bucket: "b", versioningConfiguration: { status: "Enabled" } },
        bad: [{ why: "suspended", props: { bucket: "b", versioningConfiguration: { status: "Suspended" } }, expect: /Enabled/ }],
    },
    {
        rule: "s3-versioning",
        type: "aws:s3/bucketV2:BucketV2",
        ok: { bucket: "b", versionings: [{ enabled: true }] },
        bad: [
            {
                why: "inline disabled (BucketV2 writes the inline form as a list)",
                props: { bucket: "b", versionings: [{ enabled: false }] },
                expect: /versionings\[0\]\.enabled/,
            },
        ],
    },
    {
        rule: "s3-access-logging",
        type: "aws:s3/bucketLogging:BucketLogging",
        ok: { bucket: "bookbuddy-media", targetBucket: "bookbuddy-logs", targetPrefix: "media/" },
        bad: [
            {
                why: "into itself",
                props: { bucket: "bookbuddy-logs", targetBucket: "bookbuddy-logs" },
                expect: /log into itself/,
            },
            { why: "no target", props: { bucket: "b" }, expect: /targetBucket must be set/ },
        ],
    },
    {
        rule: "s3-lifecycle",
        type: "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
        ok: {
            bucket: "b",
            rules: [
                { id: "noncurrent", status: "Enabled", noncurrentVersionExpiration: { noncurrentDays: 90 } },
                { id: "uploads", status: "Enabled", abortIncompleteMultipartUpload: { daysAfterInitiation: 7 } },
            ],
        },
        bad: [
            {
                why: "disabled rules",
                props: {
                    bucket: "b",
                    rules: [
                        {
                            id: "x",
                            status: "Disabled",
                            noncurrentVersionExpiration: { noncurrentDays: 90 },
                            abortIncompleteMultipartUpload: { daysAfterInitiation: 7 },
                        },
                    ],
                },
                expect: /noncurrent versions/,
            },
        ],
    },
    // --- Maintenance: EKS, logs, alarms, Kubernetes ---
    {
        rule: "helm-release-pinned",
        type: "kubernetes:helm.sh/v3:Release",
        ok: {
            chart: "aws-load-balancer-controller",
            version: "1.13.3",
            namespace: "kube-system",
            repositoryOpts: { repo: "https://aws.github.io/eks-charts" },
        },
        bad: [
            {
                why: "no version (latest)",
                props: { chart: "aws-load-balancer-controller", repositoryOpts: { repo: "https://aws.github.io/eks-charts" } },
                expect: /installs the latest/,
            },
            {
                why: "a version range",
                props: {
                    chart: "fluent-bit",
                    version: "^0.52",
                    repositoryOpts: { repo: "https://fluent.github.io/helm-charts" },
                },
                expect: /exact chart version/,
            },
            {
                why: "plain HTTP repository",
                props: { chart: "metrics-server", version: "3.12.2", repositoryOpts: { repo: "http://charts.example.com" } },
                expect: /https:\/\/ or oci:\/\//,
            },
        ],
    },
    {
        rule: "helm-release-pinned",
        type: "kubernetes:helm.sh/v4:Chart",
        ok: { chart: "oci://public.ecr.aws/karpenter/karpenter", version: "1.6.1" },
        bad: [
            {
                why: "prefix match",
                props: { chart: "oci://public.ecr.aws/karpenter/karpenter", version: "1.6" },
                expect: /exact chart version/,
            },
        ],
    },
    {
        rule: "eks-supported-version",
        type: EKS,
        ok: eksOk,
        bad: [
            { why: "old", props: { ...eksOk, version: "1.27" }, expect: /1.27/ },
            { why: "floating", props: { ...eksOk, version: undefined }, expect: /floats/ },
        ],
    },
    {
        rule: "log-group-retention",
        type: "aws:cloudwatch/logGroup:LogGroup",
        ok: { name: "/bookbuddy/api", retentionInDays: 90, kmsKeyId: KEY },
        bad: [
            { why: "30 days", props: { name: "x", retentionInDays: 30 }, expect: /at least 90/ },
            { why: "never expire", props: { name: "x", retentionInDays: 0 }, expect: /never expire/ },
        ],
    },
    {
        rule: "alarm-actions",
        type: "aws:cloudwatch/metricAlarm:MetricAlarm",
        ok: {
            metricName: "CPUUtilization",
            namespace: "AWS/RDS",
            alarmActions: ["arn:aws:sns:eu-west-1:1:alarms"],
            okActions: ["arn:aws:sns:eu-west-1:1:alarms"],
            treatMissingData: "missing",
            comparisonOperator: "GreaterThanThreshold",
            threshold: 80,
            evaluationPeriods: 3,
        },
        bad: [
            {
                why: "no OK action",
                props: { metricName: "CPUUtilization", alarmActions: ["arn:sns"], treatMissingData: "missing" },
                expect: /okActions is empty/,
            },
            { why: "no missing-data treatment", props: { alarmActions: ["a"], okActions: ["a"] }, expect: /treatMissingData/ },
        ],
    },
    {
        rule: "k8s-resources",
        type: DEPLOY,
        ok: deployment([container()]),
        bad: [
            {
                why: "no limits",
                props: deployment([container({ resources: { requests: { cpu: "100m", memory: "128Mi" } } })]),
                expect: /limits.memory/,
            },
            { why: "nothing", props: deployment([container({ resources: undefined })]), expect: /requests.cpu/ },
        ],
    },
    {
        rule: "k8s-probes",
        type: DEPLOY,
        ok: deployment([container()], {
            initContainers: [container({ name: "migrate", readinessProbe: undefined, livenessProbe: undefined })],
        }),
        bad: [{ why: "no readiness", props: deployment([container({ readinessProbe: undefined })]), expect: /readinessProbe/ }],
    },
    ...externalSecretsNamespacedStoreCases,
    ...k8sRbacLeastPrivilegeCases,
];

// Cases of the rules the anchor matrix added (#17 item 2), kept in their own file.
resourceCases.push(...anchorRuleCases);
