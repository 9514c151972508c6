/**
 * The offline deploy-path check (DEP-1) on the rendered stacks: every stack proves its path, and each way
 * of breaking a first deploy (a missing access entry, a missing security-group rule, a runner in a subnet
 * without a way out, a cluster without private endpoint access, ...) fails with a message that names it.
 */
import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { runPlan } from "../../tools/plan/cli";
import { checkDeployPath, DEPLOY_PATH_EXIT, DeployPathResult, formatDeployPath } from "../../tools/plan/deploy-path";
import { PlanDocument, PlanResourceState } from "../../tools/plan/types";
import { REPO_ROOT, STACKS, nameOf, one, renderedStack, resources } from "../support/plan";

/** A deep copy of a rendered stack, changed by `edit` (which may drop resources by returning false). */
function mutate(doc: PlanDocument, edit: (r: PlanResourceState) => boolean | void): PlanDocument {
    const copy = structuredClone(doc);
    copy.steps = copy.steps.filter((s) => !s.newState || edit(s.newState) !== false);
    return copy;
}

function failures(result: DeployPathResult): string[] {
    return result.checks.filter((c) => !c.ok).map((c) => `${c.name}: ${c.detail}`);
}

/** Exactly one failing check, whose text matches `pattern`. */
function assertFailsWith(doc: PlanDocument, pattern: RegExp): void {
    const result = checkDeployPath(doc);
    assert.equal(result.ok, false, "the mutation should break the deploy path");
    const failed = failures(result);
    assert.ok(
        failed.some((f) => pattern.test(f)),
        `expected a failure matching ${pattern}, got:\n${failed.join("\n")}`,
    );
}

describe("offline deploy-path check (DEP-1)", function () {
    this.timeout(240_000);

    for (const stack of STACKS) {
        it(`${stack}: proves runner egress, cluster-admin access and the 443/5432 paths`, async () => {
            const result = checkDeployPath(await renderedStack(stack));
            assert.deepEqual(failures(result), []);
            assert.equal(result.runnerProject, `bookbuddy-${stack}-deploy-runner`);
            assert.equal(result.deployRoleArn, `arn:aws:iam::123456789012:role/bookbuddy-${stack}-deploy`);
            const names = result.checks.map((c) => c.name);
            assert.ok(names.includes(`cluster bookbuddy-${stack}: deploying identity is cluster admin`));
            assert.ok(names.includes(`cluster bookbuddy-${stack}: API endpoint reachable from the runner on 443`));
            assert.ok(names.includes(`database bookbuddy-${stack}-postgres: reachable from the runner on 5432`));
            assert.match(formatDeployPath(result), /^Deploy path: proven$/m);
        });
    }

    describe("mutations of the rendered dev stack each fail with a clear message", () => {
        let dev: PlanDocument;
        let deployRole: string;
        before(async () => {
            dev = await renderedStack("dev");
            deployRole = (dev.outputs!.deploy as { deployRoleArn: string }).deployRoleArn;
        });

        it("the deploying identity's access entry dropped", () => {
            assertFailsWith(
                mutate(dev, (r) => !(r.type === "aws:eks/accessEntry:AccessEntry" && r.inputs.principalArn === deployRole)),
                /no access entry on cluster bookbuddy-dev for the deploying identity .*bookbuddy-dev-deploy/,
            );
        });

        it("the cluster-admin association dropped, or narrowed to a namespace", () => {
            const isAdmin = (r: PlanResourceState) =>
                r.type === "aws:eks/accessPolicyAssociation:AccessPolicyAssociation" && r.inputs.principalArn === deployRole;
            assertFailsWith(
                mutate(dev, (r) => !isAdmin(r)),
                /has an access entry on bookbuddy-dev but no AmazonEKSClusterAdminPolicy association/,
            );
            assertFailsWith(
                mutate(dev, (r) => {
                    if (isAdmin(r)) r.inputs.accessScope = { type: "namespace", namespaces: ["default"] };
                }),
                /at "namespace" scope, not cluster scope/,
            );
        });

        it("the cluster authenticating through the aws-auth ConfigMap only", () => {
            assertFailsWith(
                mutate(dev, (r) => {
                    if (r.type === "aws:eks/cluster:Cluster")
                        (r.inputs.accessConfig as Record<string, unknown>).authenticationMode = "CONFIG_MAP";
                }),
                /authenticates with "CONFIG_MAP": access entries need API/,
            );
        });

        it("the preview identity's access entry dropped", () => {
            const previewRole = (dev.outputs!.deploy as { previewRoleArn: string }).previewRoleArn;
            assertFailsWith(
                mutate(dev, (r) => !(r.type === "aws:eks/accessEntry:AccessEntry" && r.inputs.principalArn === previewRole)),
                /no access entry on cluster bookbuddy-dev for the preview identity/,
            );
        });

        it("the control plane's ingress rule from the runner dropped", () => {
            assertFailsWith(
                mutate(
                    dev,
                    (r) =>
                        !(
                            r.type === "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule" &&
                            nameOf(r) === "bookbuddy-dev-api-from-deploy-runner"
                        ),
                ),
                /API endpoint reachable .*no ingress rule of cluster bookbuddy-dev control plane's security groups .* admits TCP 443 from runner/,
            );
        });

        it("the database security group no longer admitting the runner (inline ingress)", () => {
            const runnerSg = (dev.outputs!.deploy as { runnerSecurityGroupId: string }).runnerSecurityGroupId;
            assertFailsWith(
                mutate(dev, (r) => {
                    if (r.type === "aws:ec2/securityGroup:SecurityGroup" && nameOf(r) === "bookbuddy-dev-postgres") {
                        r.inputs.ingress = (r.inputs.ingress as { securityGroups: string[] }[]).filter(
                            (i) => !i.securityGroups.includes(runnerSg),
                        );
                    }
                }),
                /database bookbuddy-dev-postgres: .*no ingress rule .* admits TCP 5432 from runner/,
            );
        });

        it("the runner's egress rule to PostgreSQL dropped", () => {
            assertFailsWith(
                mutate(
                    dev,
                    (r) =>
                        !(
                            r.type === "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule" &&
                            nameOf(r) === "bookbuddy-dev-deploy-runner-postgres"
                        ),
                ),
                /no egress rule of runner bookbuddy-dev-deploy-runner's security groups .* allows TCP 5432/,
            );
        });

        it("an ingress rule as a separate aws.ec2.SecurityGroupRule admits the runner as well as the aws.vpc form", () => {
            const rule = one(
                dev,
                "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
                "bookbuddy-dev-api-from-deploy-runner",
            );
            const legacy = mutate(dev, (r) => {
                if (r.urn === rule.urn) {
                    r.type = "aws:ec2/securityGroupRule:SecurityGroupRule";
                    r.inputs = {
                        type: "ingress",
                        securityGroupId: rule.inputs.securityGroupId,
                        protocol: "tcp",
                        fromPort: 443,
                        toPort: 443,
                        sourceSecurityGroupId: rule.inputs.referencedSecurityGroupId,
                        description: "legacy form",
                    };
                }
            });
            assert.deepEqual(failures(checkDeployPath(legacy)), []);
            // ... and a legacy rule on the wrong port does not.
            const wrongPort = mutate(legacy, (r) => {
                if (r.urn === rule.urn) Object.assign(r.inputs, { fromPort: 8443, toPort: 8443 });
            });
            assertFailsWith(wrongPort, /no ingress rule .* admits TCP 443/);
        });

        it("the runner moved to subnets without a route out (the database subnets)", () => {
            const dbSubnets = resources(dev)
                .filter((r) => r.type === "aws:ec2/subnet:Subnet" && nameOf(r).startsWith("bookbuddy-dev-database-"))
                .map((r) => r.outputs!.id as string);
            assertFailsWith(
                mutate(dev, (r) => {
                    if (r.type === "aws:codebuild/project:Project")
                        (r.inputs.vpcConfig as { subnets: string[] }).subnets = dbSubnets;
                }),
                /runner subnet subnet-\w+ \(route table bookbuddy-dev-database\) has no route to 0\.0\.0\.0\/0/,
            );
        });

        it("the runner moved to a public subnet (internet gateway, but CodeBuild gets no public IP)", () => {
            const publicSubnet = one(dev, "aws:ec2/subnet:Subnet", "bookbuddy-dev-public-0").outputs!.id as string;
            assertFailsWith(
                mutate(dev, (r) => {
                    if (r.type === "aws:codebuild/project:Project")
                        (r.inputs.vpcConfig as { subnets: string[] }).subnets = [publicSubnet];
                }),
                /routes 0\.0\.0\.0\/0 to igw-\w+, not a NAT gateway/,
            );
        });

        it("the runner moved to a subnet of another VPC", () => {
            const other = mutate(dev, () => undefined);
            const vpc = one(other, "aws:ec2/vpc:Vpc");
            const subnet = one(other, "aws:ec2/subnet:Subnet", "bookbuddy-dev-private-0");
            const strayVpc = structuredClone(vpc);
            strayVpc.urn += "-stray";
            strayVpc.outputs!.id = "vpc-0000000000stray";
            strayVpc.inputs.cidrBlock = "10.99.0.0/16";
            const straySubnet = structuredClone(subnet);
            straySubnet.urn += "-stray";
            straySubnet.outputs!.id = "subnet-000000stray";
            straySubnet.inputs.vpcId = "vpc-0000000000stray";
            straySubnet.inputs.cidrBlock = "10.99.1.0/24";
            other.steps.push(
                { op: "create", urn: strayVpc.urn, newState: strayVpc },
                { op: "create", urn: straySubnet.urn, newState: straySubnet },
            );
            for (const r of resources(other)) {
                if (r.type === "aws:codebuild/project:Project")
                    Object.assign(r.inputs.vpcConfig as object, {
                        subnets: ["subnet-000000stray"],
                        vpcId: "vpc-0000000000stray",
                    });
            }
            assertFailsWith(other, /runner subnet subnet-000000stray has no route table association/);
            assertFailsWith(other, /are in different VPCs/);
        });

        it("a more specific route diverting the database subnets away from the local route", () => {
            const dbCidr = one(dev, "aws:ec2/subnet:Subnet", "bookbuddy-dev-database-0").inputs.cidrBlock;
            assertFailsWith(
                mutate(dev, (r) => {
                    if (r.type === "aws:ec2/routeTable:RouteTable" && nameOf(r) === "bookbuddy-dev-private-0") {
                        (r.inputs.routes as object[]).push({ cidrBlock: dbCidr, networkInterfaceId: "eni-0firewall" });
                    }
                }),
                /sends 10\.10\.\d+\.0\/24 .* to networkInterfaceId instead of the local route/,
            );
        });

        it("private endpoint access turned off", () => {
            assertFailsWith(
                mutate(dev, (r) => {
                    if (r.type === "aws:eks/cluster:Cluster")
                        (r.inputs.vpcConfig as Record<string, unknown>).endpointPrivateAccess = false;
                }),
                /endpointPrivateAccess false: the API server has no address inside the VPC/,
            );
        });

        it("fails closed on network ACLs, unknown values and a missing runner", () => {
            const withAcl = mutate(dev, () => undefined);
            withAcl.steps.push({
                op: "create",
                urn: "urn:pulumi:dev::bookbuddy::aws:ec2/networkAcl:NetworkAcl::extra",
                newState: {
                    type: "aws:ec2/networkAcl:NetworkAcl",
                    urn: "urn:pulumi:dev::bookbuddy::aws:ec2/networkAcl:NetworkAcl::extra",
                    custom: true,
                    inputs: {},
                    dependencies: [],
                    propertyDependencies: {},
                },
            });
            assertFailsWith(withAcl, /network ACLs are declared \(extra\); this check does not evaluate them/);
            assertFailsWith(
                mutate(dev, (r) => {
                    if (r.type === "aws:codebuild/project:Project")
                        (r.inputs.vpcConfig as { subnets: string[] }).subnets = ["[unknown]"];
                }),
                /runner subnet is not known offline \("\[unknown\]"\); the check fails closed/,
            );
            assertFailsWith(
                mutate(dev, (r) => r.type !== "aws:codebuild/project:Project"),
                /no CodeBuild project named bookbuddy-dev-deploy-runner is declared/,
            );
            const undeclared = mutate(dev, () => undefined);
            delete undeclared.outputs!.deploy;
            assertFailsWith(undeclared, /exports no `deploy` output/);
        });
    });

    it(`npm run plan exits ${DEPLOY_PATH_EXIT} and says why when a project with a private database declares no deploy location`, async () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "deploy-path-"));
        fs.writeFileSync(path.join(dir, "Pulumi.yaml"), "name: private-db\nruntime: nodejs\nmain: program.ts\n");
        fs.writeFileSync(path.join(dir, "Pulumi.test.yaml"), "config:\n  aws:region: eu-west-1\n");
        fs.writeFileSync(
            path.join(dir, "program.ts"),
            [
                'import * as aws from "@pulumi/aws";',
                'const provider = new aws.Provider("eu", { region: "eu-west-1" });',
                'new aws.rds.Instance("db", { engine: "postgres", instanceClass: "db.t4g.micro", allocatedStorage: 20, manageMasterUserPassword: true, username: "app", storageEncrypted: true, publiclyAccessible: false }, { provider });',
                "",
            ].join("\n"),
        );
        fs.symlinkSync(path.join(REPO_ROOT, "node_modules"), path.join(dir, "node_modules"));
        const advisory = path.join(dir, "advisory.json");
        fs.writeFileSync(advisory, JSON.stringify({ all: "advisory" }));
        let out = "";
        const code = await runPlan(
            ["--stack", "test", "--cwd", dir, "--quiet", "--policy-pack-config", advisory],
            (s) => (out += s),
            () => undefined,
            REPO_ROOT,
        );
        assert.equal(code, DEPLOY_PATH_EXIT, out);
        assert.match(out, /\[FAIL\] deploy location declared\n\s+the stack exports no `deploy` output/);
        assert.match(out, /^Deploy path: broken \(1 of 1 checks failed\)$/m);
    });
});
