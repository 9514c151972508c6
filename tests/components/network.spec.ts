import { strict as assert } from "assert";
import { Network } from "../../components/network";
import { cidrSubnet, planSubnets } from "../../components/network/cidr";
import { childrenOf, json, nameOf, one, ofType, renderComponent, renderedStack } from "../support/plan";

const context = { accountId: "123456789012", region: "us-east-1", partition: "aws" };
const azs3 = ["us-east-1a", "us-east-1b", "us-east-1c"];

function render(natGateways: "single" | "perAz", azs = azs3) {
    return renderComponent(
        () =>
            new Network("net", {
                cidr: "10.0.0.0/16",
                availabilityZones: azs,
                natGateways,
                flowLogRetentionDays: 90,
                logsKeyArn: "arn:aws:kms:us-east-1:123456789012:key/logs",
                context,
            }),
    );
}

describe("Network (NET-1, ENV-3, ENV-4)", () => {
    it("carves private /19, public /24 and database /24 subnets without overlap", () => {
        assert.equal(cidrSubnet("10.0.0.0/16", 3, 2), "10.0.64.0/19");
        assert.equal(cidrSubnet("10.0.0.0/16", 8, 96), "10.0.96.0/24");
        const plan = planSubnets("10.30.0.0/16", 3);
        assert.deepEqual(plan.private, ["10.30.0.0/19", "10.30.32.0/19", "10.30.64.0/19"]);
        assert.deepEqual(plan.public, ["10.30.96.0/24", "10.30.97.0/24", "10.30.98.0/24"]);
        assert.deepEqual(plan.database, ["10.30.112.0/24", "10.30.113.0/24", "10.30.114.0/24"]);
        assert.throws(() => cidrSubnet("10.0.0.0/26", 3, 0), /AWS subnets are \/28 or larger/);
        assert.throws(() => cidrSubnet("10.0.0.0/16", 2, 4), /does not fit/);
    });

    it("declares public, private and database subnets in every AZ", async () => {
        const doc = await render("perAz");
        const subnets = ofType(doc, "aws:ec2/subnet:Subnet");
        assert.equal(subnets.length, 9);
        for (const tier of ["public", "private", "database"]) {
            const inTier = subnets.filter((s) => (s.inputs.tags as Record<string, string>).tier === tier);
            assert.deepEqual(inTier.map((s) => s.inputs.availabilityZone).sort(), azs3, tier);
        }
        assert.ok(
            subnets.every((s) => s.inputs.mapPublicIpOnLaunch !== true),
            "no subnet hands out public IPs",
        );
    });

    it("puts one NAT gateway in each AZ when perAz (ENV-3) and routes each private subnet to its own", async () => {
        const doc = await render("perAz");
        const nats = ofType(doc, "aws:ec2/natGateway:NatGateway");
        assert.equal(nats.length, 3);
        const natIds = new Set(nats.map((n) => n.outputs!.id));
        const privateTables = ofType(doc, "aws:ec2/routeTable:RouteTable").filter((t) => /-private-\d$/.test(nameOf(t)));
        const targets = privateTables.map((t) => (t.inputs.routes as { natGatewayId: string }[])[0].natGatewayId);
        assert.equal(new Set(targets).size, 3);
        assert.ok(targets.every((t) => natIds.has(t)));
    });

    it("uses a single NAT gateway when single (ENV-4)", async () => {
        const doc = await render("single", azs3.slice(0, 2));
        assert.equal(ofType(doc, "aws:ec2/natGateway:NatGateway").length, 1);
        assert.equal(ofType(doc, "aws:ec2/eip:Eip").length, 1);
        const privateTables = ofType(doc, "aws:ec2/routeTable:RouteTable").filter((t) => /-private-\d$/.test(nameOf(t)));
        assert.equal(new Set(privateTables.map((t) => (t.inputs.routes as { natGatewayId: string }[])[0].natGatewayId)).size, 1);
    });

    it("keeps database subnets without any route out of the VPC", async () => {
        const doc = await render("perAz");
        const table = one(doc, "aws:ec2/routeTable:RouteTable", "net-database");
        assert.equal(table.inputs.routes, undefined);
    });

    it("logs ALL traffic to a KMS-encrypted log group kept 90 days, through a scoped role", async () => {
        const doc = await render("perAz");
        const flow = one(doc, "aws:ec2/flowLog:FlowLog");
        assert.equal(flow.inputs.trafficType, "ALL");
        assert.equal(flow.inputs.logDestinationType, "cloud-watch-logs");
        const group = one(doc, "aws:cloudwatch/logGroup:LogGroup");
        assert.equal(group.inputs.retentionInDays, 90);
        assert.equal(group.inputs.kmsKeyId, "arn:aws:kms:us-east-1:123456789012:key/logs");
        assert.equal(flow.inputs.logDestination, group.outputs!.arn);
        const policy = json(one(doc, "aws:iam/rolePolicy:RolePolicy").inputs.policy);
        assert.deepEqual(policy.Statement[0].Resource, [group.outputs!.arn, `${group.outputs!.arn}:*`]);
    });

    it("closes the default security group", async () => {
        const doc = await render("perAz");
        const sg = one(doc, "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup");
        assert.deepEqual(sg.inputs.ingress, []);
        assert.deepEqual(sg.inputs.egress, []);
    });

    it("creates the S3 gateway endpoint and interface endpoints for ECR, Secrets Manager, STS and Logs", async () => {
        const doc = await render("perAz");
        const endpoints = ofType(doc, "aws:ec2/vpcEndpoint:VpcEndpoint");
        const byService = Object.fromEntries(endpoints.map((e) => [e.inputs.serviceName, e]));
        assert.deepEqual(Object.keys(byService).sort(), [
            "com.amazonaws.us-east-1.ecr.api",
            "com.amazonaws.us-east-1.ecr.dkr",
            "com.amazonaws.us-east-1.logs",
            "com.amazonaws.us-east-1.s3",
            "com.amazonaws.us-east-1.secretsmanager",
            "com.amazonaws.us-east-1.sts",
        ]);
        assert.equal(byService["com.amazonaws.us-east-1.s3"].inputs.vpcEndpointType, "Gateway");
        assert.equal((byService["com.amazonaws.us-east-1.s3"].inputs.routeTableIds as string[]).length, 4);
        const sg = one(doc, "aws:ec2/securityGroup:SecurityGroup");
        assert.deepEqual(sg.inputs.ingress, [
            { description: "HTTPS from the VPC", protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: ["10.0.0.0/16"] },
        ]);
        for (const e of endpoints.filter((x) => x.inputs.vpcEndpointType === "Interface")) {
            assert.equal(e.inputs.privateDnsEnabled, true);
            assert.equal((e.inputs.subnetIds as string[]).length, 3);
        }
    });

    it("refuses fewer than two availability zones", async () => {
        await assert.rejects(render("single", ["us-east-1a"]), /at least 2 availability zones/);
    });

    it("parents every child to the component", async () => {
        const doc = await render("perAz");
        const component = one(doc, "bookbuddy:network:Network");
        assert.equal(childrenOf(doc, component).length, doc.steps.length - 2);
    });

    it("prod has a NAT gateway per AZ and dev has one (ENV-3, ENV-4)", async () => {
        const prod = await renderedStack("prod");
        const dev = await renderedStack("dev");
        assert.equal(ofType(prod, "aws:ec2/natGateway:NatGateway").length, 3);
        assert.equal(ofType(prod, "aws:ec2/subnet:Subnet").length, 9);
        assert.equal(ofType(dev, "aws:ec2/natGateway:NatGateway").length, 1);
        assert.equal(ofType(dev, "aws:ec2/subnet:Subnet").length, 6);
    });
});
