import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { AwsContext, nameTag, policyDocument } from "../shared/context";
import { planSubnets } from "./cidr";

export interface NetworkArgs {
    /** VPC CIDR block; default `10.0.0.0/16` comes from config (NET-1). */
    cidr: string;
    /** Availability zone names, one subnet of each tier per zone (NET-1, ENV-3: at least 2). */
    availabilityZones: string[];
    /** `single` NAT gateway (ENV-4) or one per AZ (ENV-3). */
    natGateways: "single" | "perAz";
    /** Flow log retention in days; at least 90 (NET-1, BKP-4). */
    flowLogRetentionDays: number;
    /** KMS key ARN encrypting the flow log group (SEC-3). */
    logsKeyArn: pulumi.Input<string>;
    /** Interface endpoints to create; default ecr.api, ecr.dkr, secretsmanager, sts, logs (NET-1). */
    interfaceEndpoints?: string[];
    /** Account, region and partition. */
    context: AwsContext;
}

export const DEFAULT_INTERFACE_ENDPOINTS = ["ecr.api", "ecr.dkr", "secretsmanager", "sts", "logs"];

/**
 * The VPC (NET-1): public, private and database subnets per AZ, NAT per ENV-3/ENV-4, flow logs of all
 * traffic to an encrypted log group kept 90 days, a closed default security group, and VPC endpoints.
 */
export class Network extends pulumi.ComponentResource {
    readonly vpc: aws.ec2.Vpc;
    readonly vpcId: pulumi.Output<string>;
    readonly cidr: string;
    readonly publicSubnetIds: pulumi.Output<string>[];
    readonly privateSubnetIds: pulumi.Output<string>[];
    readonly databaseSubnetIds: pulumi.Output<string>[];
    readonly natGateways: aws.ec2.NatGateway[];
    readonly flowLogGroup: aws.cloudwatch.LogGroup;
    readonly endpointSecurityGroup: aws.ec2.SecurityGroup;

    constructor(name: string, args: NetworkArgs, opts?: pulumi.ComponentResourceOptions) {
        super("bookbuddy:network:Network", name, {}, opts);
        const azs = args.availabilityZones;
        if (azs.length < 2) throw new Error(`Network ${name}: at least 2 availability zones are needed, got ${azs.length}`);
        const parent = { parent: this };
        const plan = planSubnets(args.cidr, azs.length);
        this.cidr = args.cidr;

        this.vpc = new aws.ec2.Vpc(
            name,
            { cidrBlock: args.cidr, enableDnsHostnames: true, enableDnsSupport: true, tags: nameTag(name) },
            parent,
        );
        this.vpcId = this.vpc.id;

        // NET-1: the default security group allows nothing (no ingress, no egress rules).
        new aws.ec2.DefaultSecurityGroup(
            `${name}-default`,
            { vpcId: this.vpc.id, ingress: [], egress: [], tags: nameTag(`${name}-default-closed`) },
            parent,
        );

        const igw = new aws.ec2.InternetGateway(name, { vpcId: this.vpc.id, tags: nameTag(name) }, parent);

        const publicSubnets = azs.map(
            (az, i) =>
                new aws.ec2.Subnet(
                    `${name}-public-${i}`,
                    {
                        vpcId: this.vpc.id,
                        cidrBlock: plan.public[i],
                        availabilityZone: az,
                        mapPublicIpOnLaunch: false,
                        tags: nameTag(`${name}-public-${az}`, { tier: "public", "kubernetes.io/role/elb": "1" }),
                    },
                    parent,
                ),
        );
        const privateSubnets = azs.map(
            (az, i) =>
                new aws.ec2.Subnet(
                    `${name}-private-${i}`,
                    {
                        vpcId: this.vpc.id,
                        cidrBlock: plan.private[i],
                        availabilityZone: az,
                        tags: nameTag(`${name}-private-${az}`, { tier: "private", "kubernetes.io/role/internal-elb": "1" }),
                    },
                    parent,
                ),
        );
        const databaseSubnets = azs.map(
            (az, i) =>
                new aws.ec2.Subnet(
                    `${name}-database-${i}`,
                    {
                        vpcId: this.vpc.id,
                        cidrBlock: plan.database[i],
                        availabilityZone: az,
                        tags: nameTag(`${name}-database-${az}`, { tier: "database" }),
                    },
                    parent,
                ),
        );
        this.publicSubnetIds = publicSubnets.map((s) => s.id);
        this.privateSubnetIds = privateSubnets.map((s) => s.id);
        this.databaseSubnetIds = databaseSubnets.map((s) => s.id);

        const publicRoutes = new aws.ec2.RouteTable(
            `${name}-public`,
            { vpcId: this.vpc.id, routes: [{ cidrBlock: "0.0.0.0/0", gatewayId: igw.id }], tags: nameTag(`${name}-public`) },
            parent,
        );
        publicSubnets.forEach(
            (s, i) =>
                new aws.ec2.RouteTableAssociation(
                    `${name}-public-${i}`,
                    { subnetId: s.id, routeTableId: publicRoutes.id },
                    parent,
                ),
        );

        // ENV-3: one NAT gateway per AZ keeps egress alive when a zone fails; ENV-4: one is enough for dev.
        const natCount = args.natGateways === "perAz" ? azs.length : 1;
        this.natGateways = [];
        for (let i = 0; i < natCount; i++) {
            const eip = new aws.ec2.Eip(`${name}-nat-${i}`, { domain: "vpc", tags: nameTag(`${name}-nat-${azs[i]}`) }, parent);
            this.natGateways.push(
                new aws.ec2.NatGateway(
                    `${name}-${i}`,
                    {
                        allocationId: eip.id,
                        subnetId: publicSubnets[i].id,
                        connectivityType: "public",
                        tags: nameTag(`${name}-nat-${azs[i]}`),
                    },
                    { parent: this, dependsOn: [igw] },
                ),
            );
        }
        const privateRouteTables = privateSubnets.map((s, i) => {
            const nat = this.natGateways[Math.min(i, natCount - 1)];
            const table = new aws.ec2.RouteTable(
                `${name}-private-${i}`,
                {
                    vpcId: this.vpc.id,
                    routes: [{ cidrBlock: "0.0.0.0/0", natGatewayId: nat.id }],
                    tags: nameTag(`${name}-private-${azs[i]}`),
                },
                parent,
            );
            new aws.ec2.RouteTableAssociation(`${name}-private-${i}`, { subnetId: s.id, routeTableId: table.id }, parent);
            return table;
        });
        // Database subnets have no route out of the VPC at all.
        const databaseRoutes = new aws.ec2.RouteTable(
            `${name}-database`,
            { vpcId: this.vpc.id, tags: nameTag(`${name}-database`) },
            parent,
        );
        databaseSubnets.forEach(
            (s, i) =>
                new aws.ec2.RouteTableAssociation(
                    `${name}-database-${i}`,
                    { subnetId: s.id, routeTableId: databaseRoutes.id },
                    parent,
                ),
        );

        // NET-1 flow logs: ALL traffic, to a KMS-encrypted log group kept 90 days.
        this.flowLogGroup = new aws.cloudwatch.LogGroup(
            `${name}-flow-logs`,
            { name: `/aws/vpc/${name}/flow-logs`, retentionInDays: args.flowLogRetentionDays, kmsKeyId: args.logsKeyArn },
            parent,
        );
        const flowRole = new aws.iam.Role(
            `${name}-flow-logs`,
            {
                description: `Delivers VPC flow logs of ${name} to CloudWatch Logs`,
                assumeRolePolicy: policyDocument([
                    {
                        Effect: "Allow",
                        Principal: { Service: "vpc-flow-logs.amazonaws.com" },
                        Action: "sts:AssumeRole",
                        Condition: { StringEquals: { "aws:SourceAccount": args.context.accountId } },
                    },
                ]),
            },
            parent,
        );
        new aws.iam.RolePolicy(
            `${name}-flow-logs`,
            {
                role: flowRole.id,
                policy: policyDocument([
                    {
                        Effect: "Allow",
                        Action: ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
                        Resource: [this.flowLogGroup.arn, pulumi.interpolate`${this.flowLogGroup.arn}:*`],
                    },
                ]),
            },
            parent,
        );
        new aws.ec2.FlowLog(
            name,
            {
                vpcId: this.vpc.id,
                trafficType: "ALL",
                logDestinationType: "cloud-watch-logs",
                logDestination: this.flowLogGroup.arn,
                iamRoleArn: flowRole.arn,
                maxAggregationInterval: 60,
                tags: nameTag(`${name}-flow-logs`),
            },
            parent,
        );

        // NET-1 endpoints: S3 as a gateway (free), the rest as interface endpoints reachable on 443 from the VPC.
        new aws.ec2.VpcEndpoint(
            `${name}-s3`,
            {
                vpcId: this.vpc.id,
                serviceName: `com.amazonaws.${args.context.region}.s3`,
                vpcEndpointType: "Gateway",
                routeTableIds: [...privateRouteTables.map((t) => t.id), databaseRoutes.id],
                tags: nameTag(`${name}-s3`),
            },
            parent,
        );
        this.endpointSecurityGroup = new aws.ec2.SecurityGroup(
            `${name}-endpoints`,
            {
                vpcId: this.vpc.id,
                description: "Interface VPC endpoints: HTTPS from inside the VPC only",
                ingress: [
                    { description: "HTTPS from the VPC", protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: [args.cidr] },
                ],
                egress: [],
                tags: nameTag(`${name}-endpoints`),
            },
            parent,
        );
        for (const service of args.interfaceEndpoints ?? DEFAULT_INTERFACE_ENDPOINTS) {
            new aws.ec2.VpcEndpoint(
                `${name}-${service.replace(/\./g, "-")}`,
                {
                    vpcId: this.vpc.id,
                    serviceName: `com.amazonaws.${args.context.region}.${service}`,
                    vpcEndpointType: "Interface",
                    privateDnsEnabled: true,
                    subnetIds: this.privateSubnetIds,
                    securityGroupIds: [this.endpointSecurityGroup.id],
                    tags: nameTag(`${name}-${service}`),
                },
                parent,
            );
        }

        this.registerOutputs({
            vpcId: this.vpcId,
            publicSubnetIds: this.publicSubnetIds,
            privateSubnetIds: this.privateSubnetIds,
            databaseSubnetIds: this.databaseSubnetIds,
        });
    }
}
