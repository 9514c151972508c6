/**
 * The deploy location (DEP-1): a CodeBuild-hosted GitHub Actions runner inside the stack's VPC, so that
 * `pulumi up`, refresh and trusted previews reach the private EKS endpoint and the private database, and
 * the two identities its jobs assume through GitHub OIDC (short-lived credentials, no stored keys).
 *
 * - The CodeBuild project runs one ephemeral build per queued workflow job whose `runs-on` label names it
 *   (`codebuild-<project>-<run id>-<attempt>`), in the given subnets with its own security group. The
 *   webhook accepts only the deploy, drift and preview workflows.
 * - The deploy role trusts only jobs of the repository's deploy environment (`environment:<name>` in the
 *   token's subject); the preview role only pull requests and the default branch (scheduled drift checks).
 * - The security group has no ingress; its egress is HTTPS to the internet through the NAT gateway
 *   (GitHub, AWS APIs, npm) plus one rule per private endpoint added with `allowEgressTo`.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { AwsContext, nameTag, policyDocument } from "../shared/context";
import { PULUMI_ADMIN_ROLE } from "../postgres/roles";
import { GITHUB_OIDC_AUDIENCE, GITHUB_OIDC_HOST, RUNNER_WORKFLOWS } from "./names";

export interface DeployRunnerArgs {
    /** Physical name of the CodeBuild project; jobs select it with `runs-on: codebuild-<name>-...` (DEP-1). */
    projectName: string;
    /** VPC of the runner: the stack's own, where the private endpoints are (DEP-1). */
    vpcId: pulumi.Input<string>;
    /** Subnets of the builds: private subnets with a route to a NAT gateway (CodeBuild gets no public IP) (DEP-1). */
    subnetIds: pulumi.Input<string>[];
    /** GitHub repository `owner/name` (DEP-1). */
    repository: string;
    /** GitHub environment whose jobs may assume the deploy role (DEP-1, CI-1). */
    environment: string;
    /** Default branch: scheduled workflows run there, so the preview role trusts it (DEP-1). */
    defaultBranch: string;
    /** Name of the deploy role (the deploying identity) (DEP-1). */
    deployRoleName: string;
    /** Name of the preview and drift role (DEP-1). */
    previewRoleName: string;
    /** CodeBuild compute type; default BUILD_GENERAL1_MEDIUM. */
    computeType?: string;
    /** CodeBuild-managed image; default Amazon Linux standard 5.0. */
    image?: string;
    /** Longest build in minutes; default 150 (DEP-1). */
    timeoutMinutes?: number;
    /** Build log retention in days; default 90 (BKP-4). */
    logRetentionDays?: number;
    /** KMS key of the build log group (SEC-3). */
    logsKeyArn: pulumi.Input<string>;
    /** KMS key CodeBuild encrypts build output with (SEC-3). */
    encryptionKeyArn: pulumi.Input<string>;
    /** State bucket of the Pulumi backend: the preview role may write its lock files (DEP-1). */
    stateBucketName: pulumi.Input<string>;
    /** Alias of the stack's secrets-provider key: the preview role may decrypt with it (DEP-1). */
    secretsKeyAlias: string;
    /** Alias of the state bucket's KMS key; the preview role reads the state and writes its lock through S3 with it (DEP-1). */
    stateKeyAlias: string;
    /** Account, region and partition. */
    context: AwsContext;
}

export class DeployRunner extends pulumi.ComponentResource {
    readonly project: aws.codebuild.Project;
    readonly projectName: pulumi.Output<string>;
    readonly securityGroup: aws.ec2.SecurityGroup;
    readonly securityGroupId: pulumi.Output<string>;
    /** The deploying identity: gets the cluster-admin access entry (DEP-1). */
    readonly deployRole: aws.iam.Role;
    readonly deployRoleArn: pulumi.Output<string>;
    /** The preview and drift identity: gets an admin-view access entry (DEP-1). */
    readonly previewRole: aws.iam.Role;
    readonly previewRoleArn: pulumi.Output<string>;
    private readonly baseName: string;

    constructor(name: string, args: DeployRunnerArgs, opts?: pulumi.ComponentResourceOptions) {
        super("bookbuddy:deploy:DeployRunner", name, {}, opts);
        this.baseName = name;
        const parent = { parent: this };
        const ctx = args.context;
        const partition = ctx.partition;

        this.securityGroup = new aws.ec2.SecurityGroup(
            `${name}-runner`,
            {
                vpcId: args.vpcId,
                description: `Deploy runner ${args.projectName}: no ingress; HTTPS out, and the private endpoints (DEP-1)`,
                tags: nameTag(`${args.projectName}`),
            },
            parent,
        );
        this.securityGroupId = this.securityGroup.id;
        // GitHub (job queue, OIDC tokens, actions), STS and the AWS APIs, the npm registry: through the NAT gateway.
        new aws.vpc.SecurityGroupEgressRule(
            `${name}-runner-https`,
            {
                securityGroupId: this.securityGroup.id,
                description: "HTTPS to GitHub, AWS APIs and the npm registry through the NAT gateway (DEP-1)",
                ipProtocol: "tcp",
                fromPort: 443,
                toPort: 443,
                cidrIpv4: "0.0.0.0/0",
            },
            parent,
        );

        const logGroup = new aws.cloudwatch.LogGroup(
            `${name}-runner`,
            {
                name: `/aws/codebuild/${args.projectName}`,
                retentionInDays: args.logRetentionDays ?? 90,
                kmsKeyId: args.logsKeyArn,
            },
            parent,
        );

        // The build's own role: logs, the VPC network interfaces CodeBuild attaches, and the GitHub connection.
        // Jobs do not use it for AWS calls; they assume the deploy or preview role through OIDC.
        const serviceRole = new aws.iam.Role(
            `${name}-runner`,
            {
                description: `CodeBuild service role of the deploy runner ${args.projectName} (DEP-1)`,
                assumeRolePolicy: policyDocument([
                    {
                        Effect: "Allow",
                        Principal: { Service: "codebuild.amazonaws.com" },
                        Action: "sts:AssumeRole",
                        Condition: { StringEquals: { "aws:SourceAccount": ctx.accountId } },
                    },
                ]),
            },
            parent,
        );
        const projectArn = pulumi.interpolate`arn:${partition}:codebuild:${ctx.region}:${ctx.accountId}:project/${args.projectName}`;
        const subnetArns = pulumi
            .all([partition, ctx.accountId, pulumi.all(args.subnetIds)])
            .apply(([p, account, ids]) => ids.map((id) => `arn:${p}:ec2:${ctx.region}:${account}:subnet/${id}`));
        const servicePolicy = new aws.iam.RolePolicy(
            `${name}-runner`,
            {
                role: serviceRole.id,
                policy: policyDocument([
                    {
                        Sid: "BuildLogs",
                        Effect: "Allow",
                        Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
                        Resource: [logGroup.arn, pulumi.interpolate`${logGroup.arn}:*`],
                    },
                    {
                        Sid: "VpcDescribe",
                        Effect: "Allow",
                        Action: [
                            "ec2:DescribeDhcpOptions",
                            "ec2:DescribeNetworkInterfaces",
                            "ec2:DescribeSubnets",
                            "ec2:DescribeSecurityGroups",
                            "ec2:DescribeVpcs",
                        ],
                        Resource: "*",
                    },
                    {
                        Sid: "VpcInterfaces",
                        Effect: "Allow",
                        Action: ["ec2:CreateNetworkInterface", "ec2:DeleteNetworkInterface"],
                        Resource: "*",
                        Condition: { StringEquals: { "aws:RequestedRegion": ctx.region } },
                    },
                    {
                        Sid: "VpcInterfacePermission",
                        Effect: "Allow",
                        Action: "ec2:CreateNetworkInterfacePermission",
                        Resource: pulumi.interpolate`arn:${partition}:ec2:${ctx.region}:${ctx.accountId}:network-interface/*`,
                        Condition: {
                            StringEquals: { "ec2:AuthorizedService": "codebuild.amazonaws.com" },
                            ArnEquals: { "ec2:Subnet": subnetArns },
                        },
                    },
                    // The account's GitHub connection (bootstrap/), which CodeBuild uses as its default GitHub credential.
                    {
                        Sid: "GitHubConnection",
                        Effect: "Allow",
                        Action: [
                            "codeconnections:UseConnection",
                            "codeconnections:GetConnectionToken",
                            "codestar-connections:UseConnection",
                            "codestar-connections:GetConnectionToken",
                        ],
                        Resource: [
                            pulumi.interpolate`arn:${partition}:codeconnections:${ctx.region}:${ctx.accountId}:connection/*`,
                            pulumi.interpolate`arn:${partition}:codestar-connections:${ctx.region}:${ctx.accountId}:connection/*`,
                        ],
                    },
                    {
                        Sid: "BuildOutput",
                        Effect: "Allow",
                        Action: ["kms:Decrypt", "kms:GenerateDataKey*", "kms:DescribeKey"],
                        Resource: args.encryptionKeyArn,
                        Condition: { StringEquals: { "kms:CallerAccount": ctx.accountId } },
                    },
                    {
                        Sid: "OwnProject",
                        Effect: "Allow",
                        Action: ["codebuild:BatchPutTestCases", "codebuild:CreateReport", "codebuild:UpdateReport"],
                        Resource: projectArn,
                    },
                ]),
            },
            parent,
        );

        this.project = new aws.codebuild.Project(
            `${name}-runner`,
            {
                name: args.projectName,
                description: `GitHub Actions runner for pulumi up, refresh and trusted previews inside the VPC (DEP-1)`,
                serviceRole: serviceRole.arn,
                buildTimeout: args.timeoutMinutes ?? 150,
                queuedTimeout: 60,
                encryptionKey: args.encryptionKeyArn,
                // No source auth here: CodeBuild uses the account's default GitHub credential, the CodeConnections
                // connection that bootstrap/ registers (aws.codebuild.SourceCredential).
                source: { type: "GITHUB", location: `https://github.com/${args.repository}.git` },
                artifacts: { type: "NO_ARTIFACTS" },
                environment: {
                    type: "LINUX_CONTAINER",
                    computeType: args.computeType ?? "BUILD_GENERAL1_MEDIUM",
                    image: args.image ?? "aws/codebuild/amazonlinux-x86_64-standard:5.0",
                    imagePullCredentialsType: "CODEBUILD",
                    privilegedMode: false,
                },
                vpcConfig: { vpcId: args.vpcId, subnets: args.subnetIds, securityGroupIds: [this.securityGroup.id] },
                logsConfig: { cloudwatchLogs: { status: "ENABLED", groupName: logGroup.name }, s3Logs: { status: "DISABLED" } },
                tags: nameTag(args.projectName),
            },
            { parent: this, dependsOn: [servicePolicy] },
        );
        this.projectName = this.project.name;

        // One build per queued job of the three workflows that need the private endpoints.
        new aws.codebuild.Webhook(
            `${name}-runner`,
            {
                projectName: this.project.name,
                buildType: "BUILD",
                filterGroups: [
                    {
                        filters: [
                            { type: "EVENT", pattern: "WORKFLOW_JOB_QUEUED" },
                            { type: "WORKFLOW_NAME", pattern: `^(${RUNNER_WORKFLOWS.join("|")})$` },
                        ],
                    },
                ],
            },
            parent,
        );

        const oidcProviderArn = pulumi.interpolate`arn:${partition}:iam::${ctx.accountId}:oidc-provider/${GITHUB_OIDC_HOST}`;
        const githubTrust = (subjects: string[]) =>
            policyDocument([
                {
                    Effect: "Allow",
                    Principal: { Federated: oidcProviderArn },
                    Action: "sts:AssumeRoleWithWebIdentity",
                    Condition: {
                        StringEquals: { [`${GITHUB_OIDC_HOST}:aud`]: GITHUB_OIDC_AUDIENCE },
                        // StringEquals (not StringLike): no wildcard can widen the subjects.
                        "ForAnyValue:StringEquals": { [`${GITHUB_OIDC_HOST}:sub`]: subjects },
                    },
                },
            ]);

        this.deployRole = new aws.iam.Role(
            `${name}-deploy`,
            {
                name: args.deployRoleName,
                description: `Deploying identity: pulumi up from ${args.repository}, environment ${args.environment} only (DEP-1)`,
                assumeRolePolicy: githubTrust([`repo:${args.repository}:environment:${args.environment}`]),
                // A first deploy (cluster, database, charts) can take longer than the default hour.
                maxSessionDuration: 3 * 3600,
            },
            parent,
        );
        // pulumi up creates and deletes every kind of resource the program declares, IAM included: the deploy
        // role is an administrator, guarded by its trust (one repository, one protected environment).
        new aws.iam.RolePolicyAttachment(
            `${name}-deploy-admin`,
            { role: this.deployRole.name, policyArn: pulumi.interpolate`arn:${partition}:iam::aws:policy/AdministratorAccess` },
            parent,
        );
        this.deployRoleArn = this.deployRole.arn;

        this.previewRole = new aws.iam.Role(
            `${name}-preview`,
            {
                name: args.previewRoleName,
                description: `Trusted previews and drift checks from ${args.repository}: pull requests and ${args.defaultBranch} (DEP-1)`,
                assumeRolePolicy: githubTrust([
                    `repo:${args.repository}:pull_request`,
                    `repo:${args.repository}:ref:refs/heads/${args.defaultBranch}`,
                ]),
            },
            parent,
        );
        new aws.iam.RolePolicyAttachment(
            `${name}-preview-read`,
            { role: this.previewRole.name, policyArn: pulumi.interpolate`arn:${partition}:iam::aws:policy/ReadOnlyAccess` },
            parent,
        );
        new aws.iam.RolePolicy(
            `${name}-preview-state`,
            {
                role: this.previewRole.id,
                policy: policyDocument([
                    // A preview and a refresh take the backend's lock; they never write the state itself.
                    {
                        Sid: "StateLocks",
                        Effect: "Allow",
                        Action: ["s3:PutObject", "s3:DeleteObject"],
                        Resource: pulumi.interpolate`arn:${partition}:s3:::${args.stateBucketName}/.pulumi/locks/*`,
                    },
                    // The state bucket is SSE-KMS with its own key: reading the checkpoint and writing the lock
                    // need that key, through S3 only.
                    {
                        Sid: "StateKey",
                        Effect: "Allow",
                        Action: ["kms:Decrypt", "kms:GenerateDataKey"],
                        Resource: pulumi.interpolate`arn:${partition}:kms:${ctx.region}:${ctx.accountId}:key/*`,
                        Condition: {
                            "ForAnyValue:StringEquals": { "kms:ResourceAliases": args.stateKeyAlias },
                            StringEquals: { "kms:ViaService": `s3.${ctx.region}.amazonaws.com` },
                        },
                    },
                    {
                        Sid: "StackSecrets",
                        Effect: "Allow",
                        Action: "kms:Decrypt",
                        Resource: pulumi.interpolate`arn:${partition}:kms:${ctx.region}:${ctx.accountId}:key/*`,
                        Condition: { "ForAnyValue:StringEquals": { "kms:ResourceAliases": args.secretsKeyAlias } },
                    },
                    // Refresh and preview of the in-database objects: the PostgreSQL provider logs in with an IAM
                    // token as the provider's own role (docs/deploy.md, "What the preview role can do").
                    {
                        Sid: "DatabaseLogin",
                        Effect: "Allow",
                        Action: "rds-db:connect",
                        Resource: pulumi.interpolate`arn:${partition}:rds-db:${ctx.region}:${ctx.accountId}:dbuser:*/${PULUMI_ADMIN_ROLE}`,
                    },
                ]),
            },
            parent,
        );
        this.previewRoleArn = this.previewRole.arn;

        this.registerOutputs({
            projectName: this.projectName,
            securityGroupId: this.securityGroupId,
            deployRoleArn: this.deployRoleArn,
            previewRoleArn: this.previewRoleArn,
        });
    }

    /** Egress from the runner to a private endpoint's security group on one port (DEP-1, SEC-6). */
    allowEgressTo(
        suffix: string,
        target: { securityGroupId: pulumi.Input<string>; port: number; description: string },
    ): aws.vpc.SecurityGroupEgressRule {
        return new aws.vpc.SecurityGroupEgressRule(
            `${this.baseName}-runner-${suffix}`,
            {
                securityGroupId: this.securityGroup.id,
                description: target.description,
                ipProtocol: "tcp",
                fromPort: target.port,
                toPort: target.port,
                referencedSecurityGroupId: target.securityGroupId,
            },
            { parent: this },
        );
    }
}
