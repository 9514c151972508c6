/**
 * Compliant and violating cases of the rules added for concerns the anchor matrix found unread (#17 item 2,
 * POL-2): resource shapes with @pulumi/aws v7 / Kubernetes input property names, run by resource-rules.spec.ts.
 */
import type { Props, ResourceCase } from "./cases";

const ACCOUNT = "111122223333";
const DEPLOY = "kubernetes:apps/v1:Deployment";
const JOB = "kubernetes:batch/v1:Job";
const CRONJOB = "kubernetes:batch/v1:CronJob";
const ROLE = "aws:iam/role:Role";
const ROLE_POLICY = "aws:iam/rolePolicy:RolePolicy";

/** A container hardened the way the program's workloads are. */
function hardened(extra: Props = {}, securityContext: Props = {}): Props {
    return {
        name: "api",
        image: `${ACCOUNT}.dkr.ecr.eu-west-1.amazonaws.com/api:1.4.2`,
        ports: [{ name: "http", containerPort: 8000 }],
        securityContext: {
            allowPrivilegeEscalation: false,
            runAsNonRoot: true,
            readOnlyRootFilesystem: true,
            capabilities: { drop: ["ALL"] },
            ...securityContext,
        },
        ...extra,
    };
}

function pod(containers: Props[], extra: Props = {}): Props {
    return {
        serviceAccountName: "api",
        automountServiceAccountToken: false,
        securityContext: { runAsNonRoot: true, runAsUser: 10001, seccompProfile: { type: "RuntimeDefault" } },
        volumes: [{ name: "tmp", emptyDir: {} }],
        containers,
        ...extra,
    };
}

function deployment(containers: Props[], extra: Props = {}): Props {
    return {
        metadata: { name: "api", namespace: "bookbuddy" },
        spec: {
            replicas: 2,
            selector: { matchLabels: { app: "api" } },
            template: { metadata: { labels: { app: "api" } }, spec: pod(containers, extra) },
        },
    };
}

function cronJob(containers: Props[], extra: Props = {}): Props {
    return {
        spec: {
            schedule: "0 3 * * 0",
            jobTemplate: { spec: { template: { spec: { restartPolicy: "Never", ...pod(containers, extra) } } } },
        },
    };
}

const doc = (...statements: Props[]): string => JSON.stringify({ Version: "2012-10-17", Statement: statements });

const podIdentityTrust = doc({
    Effect: "Allow",
    Principal: { Service: "pods.eks.amazonaws.com" },
    Action: ["sts:AssumeRole", "sts:TagSession"],
    Condition: { StringEquals: { "aws:SourceAccount": ACCOUNT } },
});
const OIDC = `arn:aws:iam::${ACCOUNT}:oidc-provider/token.actions.githubusercontent.com`;

const KEY = `arn:aws:kms:eu-west-1:${ACCOUNT}:key/0b1c2d3e-aaaa-bbbb-cccc-444455556666`;
const runner: Props = {
    name: "deploy-runner",
    serviceRole: `arn:aws:iam::${ACCOUNT}:role/deploy-runner`,
    encryptionKey: KEY,
    source: { type: "GITHUB", location: "https://github.com/bookbuddy/bookbuddy-infra.git" },
    artifacts: { type: "NO_ARTIFACTS" },
    environment: {
        computeType: "BUILD_GENERAL1_SMALL",
        image: "aws/codebuild/amazonlinux-x86_64-standard:5.0",
        type: "LINUX_CONTAINER",
        privilegedMode: false,
        environmentVariables: [
            { name: "STACK", value: "prod", type: "PLAINTEXT" },
            { name: "AWS_SECRET_ACCESS_KEY", value: "deploy/keys", type: "SECRETS_MANAGER" },
        ],
    },
    logsConfig: { cloudwatchLogs: { status: "ENABLED", groupName: "/aws/codebuild/deploy-runner" } },
};
const managed = (name: string): Props => ({
    name,
    priority: 1,
    overrideAction: { none: {} },
    statement: { managedRuleGroupStatement: { vendorName: "AWS", name } },
    visibilityConfig: { cloudwatchMetricsEnabled: true, metricName: name, sampledRequestsEnabled: true },
});
const webAcl = (rules: Props[]): Props => ({
    scope: "REGIONAL",
    defaultAction: { allow: {} },
    rules,
    visibilityConfig: { cloudwatchMetricsEnabled: true, metricName: "api", sampledRequestsEnabled: true },
});
const rate: Props = {
    name: "rate-limit-per-ip",
    priority: 0,
    action: { block: {} },
    statement: { rateBasedStatement: { limit: 2000, aggregateKeyType: "IP" } },
    visibilityConfig: { cloudwatchMetricsEnabled: true, metricName: "rate", sampledRequestsEnabled: true },
};
const trail: Props = {
    name: "audit",
    s3BucketName: "audit-trail",
    kmsKeyId: KEY,
    isMultiRegionTrail: true,
    enableLogFileValidation: true,
    enableLogging: true,
    cloudWatchLogsGroupArn: `arn:aws:logs:eu-west-1:${ACCOUNT}:log-group:/bookbuddy/audit:*`,
    cloudWatchLogsRoleArn: `arn:aws:iam::${ACCOUNT}:role/trail-logs`,
};
const kmsKey: Props = {
    description: "Bookbuddy data stores",
    enableKeyRotation: true,
    policy: doc({ Effect: "Allow", Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: "kms:*", Resource: "*" }),
};

export const anchorRuleCases: ResourceCase[] = [
    {
        rule: "k8s-read-only-root-fs",
        type: DEPLOY,
        ok: deployment([hardened()], { initContainers: [hardened({ name: "migrate" })] }),
        bad: [
            {
                why: "a writable root file system by default",
                props: deployment([hardened({}, { readOnlyRootFilesystem: undefined })]),
                expect: /containers\[0\] \(api\) must set readOnlyRootFilesystem: true/,
            },
            {
                why: "an init container with a writable root",
                props: deployment([hardened()], {
                    initContainers: [hardened({ name: "migrate" }, { readOnlyRootFilesystem: false })],
                }),
                expect: /initContainers\[0\] \(migrate\)/,
            },
        ],
    },
    {
        rule: "k8s-read-only-root-fs",
        type: CRONJOB,
        ok: cronJob([hardened({ name: "vacuum" })]),
        bad: [
            {
                why: "a CronJob container without the setting",
                props: cronJob([hardened({ name: "vacuum", securityContext: {} })]),
                expect: /readOnlyRootFilesystem/,
            },
        ],
    },
    {
        rule: "k8s-drop-all-capabilities",
        type: DEPLOY,
        ok: deployment([hardened({ name: "web" }, { capabilities: { drop: ["ALL"], add: ["NET_BIND_SERVICE"] } })]),
        bad: [
            {
                why: "nothing dropped",
                props: deployment([hardened({}, { capabilities: undefined })]),
                expect: /must drop ALL capabilities/,
            },
            {
                why: "only NET_RAW dropped",
                props: deployment([hardened({}, { capabilities: { drop: ["NET_RAW"] } })]),
                expect: /must drop ALL/,
            },
            {
                why: "SYS_ADMIN added back",
                props: deployment([hardened({}, { capabilities: { drop: ["ALL"], add: ["CAP_SYS_ADMIN"] } })]),
                expect: /adds capabilities SYS_ADMIN/,
            },
        ],
    },
    {
        rule: "k8s-seccomp-profile",
        type: JOB,
        ok: {
            spec: {
                template: {
                    spec: pod([
                        hardened({ name: "migrate" }),
                        hardened(
                            { name: "own" },
                            { seccompProfile: { type: "Localhost", localhostProfile: "profiles/api.json" } },
                        ),
                    ]),
                },
            },
        },
        bad: [
            {
                why: "no profile on pod or container",
                props: { spec: { template: { spec: pod([hardened()], { securityContext: { runAsNonRoot: true } }) } } },
                expect: /has no seccomp profile/,
            },
            {
                why: "a container that opts out",
                props: { spec: { template: { spec: pod([hardened({}, { seccompProfile: { type: "Unconfined" } })]) } } },
                expect: /seccomp profile "Unconfined"/,
            },
        ],
    },
    {
        rule: "k8s-no-host-access",
        type: DEPLOY,
        ok: deployment([hardened()]),
        bad: [
            {
                why: "a hostPath volume (the container runtime socket)",
                props: deployment([hardened()], {
                    volumes: [{ name: "sock", hostPath: { path: "/var/run/containerd/containerd.sock" } }],
                }),
                expect: /volumes\[0\] \(sock\) mounts hostPath "\/var\/run\/containerd\/containerd.sock"/,
            },
            {
                why: "a hostPort",
                props: deployment([hardened({ ports: [{ containerPort: 8000, hostPort: 8000 }] })]),
                expect: /binds hostPort 8000/,
            },
        ],
    },
    {
        rule: "k8s-no-service-account-token",
        type: CRONJOB,
        ok: cronJob([hardened({ name: "reindex" })]),
        bad: [
            {
                why: "the default automount",
                props: cronJob([hardened({ name: "reindex" })], { automountServiceAccountToken: undefined }),
                expect: /automountServiceAccountToken: false/,
            },
            {
                why: "automount switched on",
                props: cronJob([hardened({ name: "reindex" })], { automountServiceAccountToken: true }),
                expect: /automountServiceAccountToken: false/,
            },
        ],
    },
    {
        rule: "k8s-no-default-namespace",
        type: DEPLOY,
        ok: deployment([hardened()]),
        bad: [
            {
                why: "no namespace (the provider's default)",
                props: { ...deployment([hardened()]), metadata: { name: "api" } },
                expect: /must name its namespace/,
            },
            {
                why: "the default namespace",
                props: { ...deployment([hardened()]), metadata: { name: "api", namespace: "default" } },
                expect: /not "default"/,
            },
        ],
    },
    {
        rule: "k8s-no-default-namespace",
        type: "kubernetes:core/v1:ConfigMap",
        ok: { metadata: { name: "api-config", namespace: "bookbuddy" }, data: { LOG_LEVEL: "info" } },
        bad: [
            {
                why: "a ConfigMap without namespace",
                props: { metadata: { name: "api-config" }, data: { LOG_LEVEL: "info" } },
                expect: /metadata.namespace/,
            },
        ],
    },
    {
        rule: "k8s-kernel-defaults",
        type: DEPLOY,
        ok: deployment([hardened()], {
            securityContext: {
                runAsNonRoot: true,
                seccompProfile: { type: "RuntimeDefault" },
                sysctls: [{ name: "net.ipv4.tcp_keepalive_time", value: "300" }],
            },
        }),
        bad: [
            {
                why: "an unmasked /proc",
                props: deployment([hardened({}, { procMount: "Unmasked" })]),
                expect: /containers\[0\] \(api\) unmasks \/proc \(procMount "Unmasked"\)/,
            },
            {
                why: "a node-wide sysctl",
                props: deployment([hardened()], {
                    securityContext: { runAsNonRoot: true, sysctls: [{ name: "kernel.msgmax", value: "65536" }] },
                }),
                expect: /sets "kernel.msgmax", which is not a safe namespaced sysctl/,
            },
            {
                why: "a Windows hostProcess pod",
                props: deployment([hardened()], { securityContext: { windowsOptions: { hostProcess: true } } }),
                expect: /the pod runs as a Windows hostProcess/,
            },
        ],
    },
    {
        rule: "iam-no-allow-not",
        type: ROLE_POLICY,
        ok: {
            role: "api",
            policy: doc(
                { Effect: "Allow", Action: ["s3:GetObject"], Resource: ["arn:aws:s3:::media/*"] },
                { Effect: "Deny", NotAction: ["s3:GetObject"], Resource: "*" },
            ),
        },
        bad: [
            {
                why: "Allow with NotAction",
                props: { role: "api", policy: doc({ Effect: "Allow", NotAction: "iam:*", Resource: "*" }) },
                expect: /Statement\[0\] allows with NotAction/,
            },
            {
                why: "Allow with NotResource",
                props: {
                    role: "api",
                    policy: doc({ Effect: "Allow", Action: "s3:GetObject", NotResource: "arn:aws:s3:::secret/*" }),
                },
                expect: /NotResource/,
            },
        ],
    },
    {
        rule: "iam-no-allow-not",
        type: "aws:s3/bucketPolicy:BucketPolicy",
        ok: {
            bucket: "media",
            policy: doc({
                Effect: "Deny",
                Principal: "*",
                Action: "s3:*",
                Resource: "*",
                Condition: { Bool: { "aws:SecureTransport": "false" } },
            }),
        },
        bad: [
            {
                why: "Allow with NotPrincipal",
                props: {
                    bucket: "media",
                    policy: doc({
                        Effect: "Allow",
                        NotPrincipal: { AWS: `arn:aws:iam::${ACCOUNT}:root` },
                        Action: "s3:GetObject",
                        Resource: "*",
                    }),
                },
                expect: /NotPrincipal/,
            },
        ],
    },
    {
        rule: "iam-no-allow-not",
        type: ROLE,
        ok: {
            assumeRolePolicy: podIdentityTrust,
            inlinePolicies: [
                { name: "read", policy: doc({ Effect: "Allow", Action: "s3:GetObject", Resource: "arn:aws:s3:::media/*" }) },
            ],
        },
        bad: [
            {
                why: "an inline policy allowing NotAction",
                props: {
                    assumeRolePolicy: podIdentityTrust,
                    inlinePolicies: [
                        { name: "all-but-iam", policy: doc({ Effect: "Allow", NotAction: ["iam:*"], Resource: "*" }) },
                    ],
                },
                expect: /inlinePolicies\[0\]\.policy Statement\[0\] allows with NotAction/,
            },
        ],
    },
    {
        rule: "iam-pass-role-scoped",
        type: ROLE_POLICY,
        ok: {
            role: "deploy",
            policy: doc({
                Effect: "Allow",
                Action: "iam:PassRole",
                Resource: `arn:aws:iam::${ACCOUNT}:role/bookbuddy-node`,
                Condition: { StringEquals: { "iam:PassedToService": "eks.amazonaws.com" } },
            }),
        },
        bad: [
            {
                why: "PassRole on every role",
                props: { role: "deploy", policy: doc({ Effect: "Allow", Action: ["iam:PassRole"], Resource: "*" }) },
                expect: /allows iam:PassRole \(iam:PassRole\) on "\*"/,
            },
            {
                why: "PassRole through a wildcard action",
                props: { role: "deploy", policy: doc({ Effect: "Allow", Action: ["iam:Pass*", "iam:Get*"], Resource: ["*"] }) },
                expect: /allows iam:Pass\*/,
            },
        ],
    },
    {
        rule: "iam-trust-policy-scoped",
        type: ROLE,
        ok: {
            assumeRolePolicy: doc({
                Effect: "Allow",
                Principal: { Federated: OIDC },
                Action: "sts:AssumeRoleWithWebIdentity",
                Condition: {
                    StringEquals: {
                        "token.actions.githubusercontent.com:aud": "sts.amazonaws.com",
                        "token.actions.githubusercontent.com:sub": "repo:bookbuddy/bookbuddy-infra:environment:production",
                    },
                },
            }),
        },
        bad: [
            {
                why: "anyone may assume it",
                props: { assumeRolePolicy: doc({ Effect: "Allow", Principal: { AWS: "*" }, Action: "sts:AssumeRole" }) },
                expect: /lets any principal/,
            },
            {
                why: "every service may assume it",
                props: { assumeRolePolicy: doc({ Effect: "Allow", Principal: { Service: "*" }, Action: "sts:AssumeRole" }) },
                expect: /every AWS service/,
            },
            {
                why: "a GitHub OIDC trust without a subject",
                props: {
                    assumeRolePolicy: doc({
                        Effect: "Allow",
                        Principal: { Federated: OIDC },
                        Action: "sts:AssumeRoleWithWebIdentity",
                        Condition: { StringEquals: { "token.actions.githubusercontent.com:aud": "sts.amazonaws.com" } },
                    }),
                },
                expect: /without a condition on the token's sub claim/,
            },
            {
                why: "a wildcard sts action",
                props: {
                    assumeRolePolicy: doc({ Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:*" }),
                },
                expect: /name the sts action/,
            },
            { why: "no trust policy", props: { name: "orphan" }, expect: /no assumeRolePolicy/ },
        ],
    },
    {
        rule: "resource-policy-no-public-principal",
        type: "aws:sns/topicPolicy:TopicPolicy",
        ok: {
            arn: "arn:aws:sns:eu-west-1:111122223333:alerts",
            policy: doc({
                Effect: "Allow",
                Principal: { Service: ["cloudwatch.amazonaws.com"] },
                Action: "sns:Publish",
                Resource: "*",
                Condition: { StringEquals: { "aws:SourceAccount": ACCOUNT } },
            }),
        },
        bad: [
            {
                why: "anyone may publish",
                props: {
                    arn: "arn:aws:sns:eu-west-1:111122223333:alerts",
                    policy: doc({ Effect: "Allow", Principal: "*", Action: "sns:Publish", Resource: "*" }),
                },
                expect: /Statement\[0\] allows Principal "\*" "sns:Publish"/,
            },
        ],
    },
    {
        rule: "resource-policy-no-public-principal",
        type: "aws:kms/key:Key",
        ok: {
            description: "data",
            enableKeyRotation: true,
            policy: doc({ Effect: "Allow", Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: "kms:*", Resource: "*" }),
        },
        bad: [
            {
                why: "a key usable by every AWS principal",
                props: {
                    description: "data",
                    policy: doc({ Effect: "Allow", Principal: { AWS: ["*"] }, Action: "kms:Decrypt", Resource: "*" }),
                },
                expect: /allows Principal "\*"/,
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
            sourceAccount: ACCOUNT,
        },
        bad: [
            {
                why: "a function anyone may invoke",
                props: { action: "lambda:InvokeFunction", function: "rotation", principal: "*" },
                expect: /principal "\*"/,
            },
        ],
    },
    {
        rule: "lambda-permission-source-scoped",
        type: "aws:lambda/permission:Permission",
        ok: {
            action: "lambda:InvokeFunction",
            function: "rotation",
            principal: "secretsmanager.amazonaws.com",
            sourceAccount: ACCOUNT,
        },
        bad: [
            {
                why: "a service permission without a source",
                props: { action: "lambda:InvokeFunction", function: "rotation", principal: "events.amazonaws.com" },
                expect: /neither sourceArn nor sourceAccount/,
            },
        ],
    },
    {
        rule: "codebuild-project-hardened",
        type: "aws:codebuild/project:Project",
        ok: runner,
        bad: [
            { why: "no encryption key", props: { ...runner, encryptionKey: undefined }, expect: /no encryptionKey/ },
            {
                why: "a privileged build container",
                props: { ...runner, environment: { ...(runner.environment as Props), privilegedMode: true } },
                expect: /runs privileged/,
            },
            {
                why: "logs switched off",
                props: { ...runner, logsConfig: { cloudwatchLogs: { status: "DISABLED" } } },
                expect: /CloudWatch logs are disabled/,
            },
            {
                why: "a plaintext access key variable",
                props: {
                    ...runner,
                    environment: {
                        ...(runner.environment as Props),
                        environmentVariables: [{ name: "AWS_ACCESS_KEY_ID", value: "AKIAEXAMPLE" }],
                    },
                },
                expect: /passes AWS_ACCESS_KEY_ID as plaintext/,
            },
        ],
    },
    {
        rule: "waf-managed-rules",
        type: "aws:wafv2/webAcl:WebAcl",
        ok: webAcl([rate, managed("AWSManagedRulesCommonRuleSet"), managed("AWSManagedRulesKnownBadInputsRuleSet")]),
        bad: [
            {
                why: "an empty web ACL",
                props: webAcl([]),
                expect: /lacks the managed rule groups AWSManagedRulesCommonRuleSet, AWSManagedRulesKnownBadInputsRuleSet/,
            },
            {
                why: "no known-bad-inputs (Log4j) group",
                props: webAcl([rate, managed("AWSManagedRulesCommonRuleSet")]),
                expect: /lacks the managed rule groups AWSManagedRulesKnownBadInputsRuleSet/,
            },
            {
                why: "a rule without action",
                props: webAcl([
                    { ...rate, action: undefined },
                    managed("AWSManagedRulesCommonRuleSet"),
                    managed("AWSManagedRulesKnownBadInputsRuleSet"),
                ]),
                expect: /rules\[0\] \(rate-limit-per-ip\) has neither an action nor an override action/,
            },
        ],
    },
    {
        rule: "no-public-ip-on-launch",
        type: "aws:ec2/subnet:Subnet",
        ok: { vpcId: "vpc-1", cidrBlock: "10.30.0.0/20", availabilityZone: "eu-west-1a", mapPublicIpOnLaunch: false },
        bad: [
            {
                why: "a subnet that maps public IPs",
                props: { vpcId: "vpc-1", cidrBlock: "10.30.0.0/20", mapPublicIpOnLaunch: true },
                expect: /assigns a public IPv4 address/,
            },
        ],
    },
    {
        rule: "no-public-ip-on-launch",
        type: "aws:ec2/launchTemplate:LaunchTemplate",
        ok: {
            namePrefix: "nodes",
            networkInterfaces: [{ deviceIndex: 0, associatePublicIpAddress: "false", securityGroups: ["sg-nodes"] }],
            metadataOptions: { httpTokens: "required" },
        },
        bad: [
            {
                why: "a network interface with a public IP",
                props: { namePrefix: "nodes", networkInterfaces: [{ deviceIndex: 0, associatePublicIpAddress: "true" }] },
                expect: /networkInterfaces\[0\] associates a public IPv4 address/,
            },
        ],
    },
    {
        rule: "cloudtrail-cloudwatch-delivery",
        type: "aws:cloudtrail/trail:Trail",
        ok: trail,
        bad: [
            { why: "a stopped trail", props: { ...trail, enableLogging: false }, expect: /the trail is stopped/ },
            {
                why: "no CloudWatch Logs delivery",
                props: { ...trail, cloudWatchLogsGroupArn: undefined, cloudWatchLogsRoleArn: undefined },
                expect: /does not deliver to CloudWatch Logs/,
            },
        ],
    },
    {
        rule: "kms-key-policy-safe",
        type: "aws:kms/key:Key",
        ok: kmsKey,
        bad: [
            { why: "the default key policy", props: { ...kmsKey, policy: undefined }, expect: /no explicit key policy/ },
            {
                why: "the lockout check bypassed",
                props: { ...kmsKey, bypassPolicyLockoutSafetyCheck: true },
                expect: /bypasses the policy lockout safety check/,
            },
            { why: "a disabled key", props: { ...kmsKey, isEnabled: false }, expect: /the key is disabled/ },
            { why: "no description", props: { ...kmsKey, description: undefined }, expect: /no description/ },
        ],
    },
];
