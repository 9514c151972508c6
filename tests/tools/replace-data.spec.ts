/**
 * CI-3: honest replacements. Every resource type the program declares in any stack has replace-forcing data
 * with its source; the data records the provider package version it was taken for, so bumping a package without
 * refreshing the data fails here; a type without data is "may replace", never an update.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { diffPlans } from "../../tools/plan/diff";
import { forceNewPaths, refresh, toPulumiPaths } from "../../tools/plan/replace-data/refresh";
import { loadReplaceData, REPLACE_ON_CHANGES, replaceVerdict } from "../../tools/plan/replace-rules";
import { PlanDocument } from "../../tools/plan/types";
import { REPO_ROOT, renderedStack, STACKS } from "../support/plan";

function installedVersion(pkg: string): string {
    return JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "node_modules", pkg, "package.json"), "utf8")).version;
}

describe("CI-3 replace-forcing data: provenance and versions", () => {
    const files = loadReplaceData();

    it("has one file per provider package, each naming its upstream source, date and pinned version", () => {
        assert.deepStrictEqual(
            [...files.keys()],
            ["aws.json", "kubernetes.json", "postgresql.json", "pulumi.json", "random.json"],
        );
        for (const [name, file] of files) {
            assert.match(file.refreshed, /^\d{4}-\d{2}-\d{2}$/, name);
            assert.ok(
                file.upstream.project && file.upstream.url.startsWith("https://") && file.upstream.rule,
                `${name}: upstream source`,
            );
            for (const [type, entry] of Object.entries(file.types)) {
                assert.ok(type.startsWith(`${file.provider}:`), `${name}: ${type} belongs to another provider`);
                assert.ok(entry.file, `${name}: ${type} names no upstream file`);
            }
        }
    });

    it("was taken for the installed version of each provider package (a bump without a refresh fails)", () => {
        const pkgJson = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "package.json"), "utf8"));
        for (const [name, file] of files) {
            assert.strictEqual(
                file.packageVersion,
                installedVersion(file.package),
                `${name}: refresh the data for ${file.package} ${installedVersion(file.package)} (docs/ci.md)`,
            );
            assert.strictEqual(
                pkgJson.dependencies[file.package],
                file.packageVersion,
                `${name}: ${file.package} is pinned at the data's version`,
            );
        }
    });

    it("names only properties the @pulumi/aws type accepts as inputs", () => {
        for (const [type, entry] of Object.entries(files.get("aws.json")!.types)) {
            const [, mod] = type.split(":");
            const [dir, file] = mod.split("/");
            const cls = type.split(":")[2];
            const dts = fs.readFileSync(path.join(REPO_ROOT, "node_modules", "@pulumi", "aws", dir, `${file}.d.ts`), "utf8");
            const args = new RegExp(`export interface ${cls}Args \\{([\\s\\S]*?)\\n\\}`).exec(dts)?.[1] ?? "";
            for (const rule of entry.replaceOn) {
                const property = typeof rule === "string" ? rule : rule.property;
                const top = property.split(".")[0];
                assert.match(args, new RegExp(`\\n\\s+${top}\\??:`), `${type}: ${property} is not an input of ${cls}Args`);
            }
        }
    });
});

describe("CI-3 replace-forcing data: every type of every stack", function () {
    this.timeout(180_000);
    const docs: Record<string, PlanDocument> = {};

    before(async () => {
        for (const stack of STACKS) docs[stack] = await renderedStack(stack);
    });

    it("has an entry for every resource type the program declares in dev, staging and prod", () => {
        const missing = new Set<string>();
        let types = 0;
        for (const stack of STACKS) {
            const custom = new Set(
                docs[stack].steps
                    .filter((s) => s.newState?.custom !== false || s.newState?.type.startsWith("pulumi:"))
                    .map((s) => s.newState!.type),
            );
            types = Math.max(types, custom.size);
            for (const type of custom) if (!REPLACE_ON_CHANGES[type]) missing.add(`${stack}: ${type}`);
        }
        assert.ok(types > 100, `only ${types} types found`);
        assert.deepStrictEqual([...missing], [], "types without replace-forcing data");
    });

    it("replaces the hosted zone, its certificate and its records when the zone name changes (dns.zoneName)", () => {
        const baseline = docs.prod;
        const current = JSON.parse(JSON.stringify(baseline)) as PlanDocument;
        const zone = current.steps.find((s) => s.newState?.type === "aws:route53/zone:Zone")!.newState!;
        const oldName = String(zone.inputs.name);
        const newName = `new-${oldName}`;
        // What the program does with another zone name: every name under the zone follows it.
        const rename = (v: unknown): unknown =>
            typeof v === "string"
                ? v.split(oldName).join(newName)
                : Array.isArray(v)
                  ? v.map(rename)
                  : v && typeof v === "object"
                    ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, rename(x)]))
                    : v;
        for (const step of current.steps) {
            const t = step.newState?.type ?? "";
            if (t.startsWith("aws:route53/") || t.startsWith("aws:acm/"))
                step.newState!.inputs = rename(step.newState!.inputs) as Record<string, unknown>;
        }
        const diff = diffPlans(baseline, current);
        const replaced = diff.replaces.map((r) => r.type);
        assert.ok(replaced.includes("aws:route53/zone:Zone"), `replaced: ${replaced.join(", ")}`);
        assert.ok(replaced.includes("aws:acm/certificate:Certificate"));
        assert.ok(replaced.includes("aws:route53/record:Record"));
        assert.strictEqual(
            diff.updates.filter((u) => u.type.startsWith("aws:route53/") || u.type.startsWith("aws:acm/")).length,
            0,
            "no zone resource is a mere update",
        );
        const zoneReplace = diff.replaces.find((r) => r.type === "aws:route53/zone:Zone")!;
        assert.deepStrictEqual(
            zoneReplace.replaceReasons.map((r) => r.property),
            ["name"],
        );
        assert.match(
            zoneReplace.replaceReasons[0].source,
            /hashicorp\/terraform-provider-aws internal\/service\/route53\/zone\.go \([0-9a-f]{40}\), for @pulumi\/aws 7\.48\.0/,
        );
    });

    it("reports a changed resource of a type without data as may replace, never as an update", () => {
        const baseline = docs.prod;
        const current = JSON.parse(JSON.stringify(baseline)) as PlanDocument;
        const lambda = current.steps.find((s) => s.newState?.type === "aws:lambda/function:Function")!.newState!;
        lambda.inputs.timeout = 899;
        const { ["aws:lambda/function:Function"]: _dropped, ...withoutLambda } = REPLACE_ON_CHANGES;
        const diff = diffPlans(baseline, current, { table: withoutLambda });
        assert.deepStrictEqual(
            diff.updates.map((u) => u.type),
            [],
        );
        assert.deepStrictEqual(
            diff.mayReplace.map((u) => [u.type, u.changes.map((c) => c.path)]),
            [["aws:lambda/function:Function", ["timeout"]]],
        );
        // With the data, the same change is an in-place update: timeout is not ForceNew upstream.
        const withData = diffPlans(baseline, current);
        assert.deepStrictEqual(
            withData.updates.map((u) => u.type),
            ["aws:lambda/function:Function"],
        );
        assert.deepStrictEqual(withData.mayReplace, []);
    });

    it("leaves no aws type of the program at may replace: every one was read upstream", () => {
        const aws = loadReplaceData().get("aws.json")!;
        const open = Object.entries(aws.types).filter(([, e]) => e.otherChanges === "may-replace" || e.file === "not read yet");
        assert.deepStrictEqual(
            open.map(([t]) => t),
            [],
        );
        for (const [type, e] of Object.entries(aws.types)) {
            assert.match(e.file, /^internal\/service\/[a-z0-9]+\/[a-z0-9_]+\.go$/, `${type}: upstream file`);
            assert.ok(
                /^[0-9a-f]{40}$/.test(e.revision ?? "") || /hand-kept/.test(e.revision ?? ""),
                `${type}: revision ${e.revision}`,
            );
        }
    });
});

describe("CI-3 replace-forcing data: spot checks against the upstream schemas", () => {
    const rules = (type: string) => REPLACE_ON_CHANGES[type].rules.map((r) => r.property);

    it("aws_db_instance: identifier, availability_zone, storage_encrypted and kms_key_id replace; instance_class and engine_version update", () => {
        for (const p of ["identifier", "availabilityZone", "storageEncrypted", "kmsKeyId", "username", "dbName"])
            assert.ok(rules("aws:rds/instance:Instance").includes(p), p);
        for (const p of ["instanceClass", "engineVersion", "allocatedStorage", "multiAz", "backupRetentionPeriod"])
            assert.ok(!rules("aws:rds/instance:Instance").includes(p), p);
        const verdict = replaceVerdict(
            "aws:rds/instance:Instance",
            true,
            { instanceClass: "db.t4g.medium" },
            { instanceClass: "db.r6g.large" },
            ["instanceClass"],
        );
        assert.deepStrictEqual(verdict, { kind: "update" });
    });

    it("bridged names: lambda function_name, alarm_name and topic_arn are checked under their @pulumi/aws names", () => {
        assert.ok(rules("aws:lambda/function:Function").includes("name"));
        assert.ok(!rules("aws:lambda/function:Function").includes("timeout"));
        assert.ok(rules("aws:cloudwatch/metricAlarm:MetricAlarm").includes("name"));
        assert.ok(!rules("aws:cloudwatch/metricAlarm:MetricAlarm").includes("threshold"));
        assert.deepStrictEqual(
            rules("aws:sns/topicSubscription:TopicSubscription")
                .filter((p) => p !== "region")
                .sort(),
            ["endpoint", "protocol", "topic"],
        );
        assert.ok(
            rules("aws:guardduty/detectorFeature:DetectorFeature").includes("additionalConfigurations.name"),
            "pluralised list block",
        );
    });

    it("plugin-framework resources count RequiresReplace plan modifiers (pod identity, log delivery, lifecycle configuration)", () => {
        assert.deepStrictEqual(
            rules("aws:eks/podIdentityAssociation:PodIdentityAssociation")
                .filter((p) => p !== "region")
                .sort(),
            ["clusterName", "namespace", "serviceAccount"],
        );
        assert.ok(
            !rules("aws:eks/podIdentityAssociation:PodIdentityAssociation").includes("roleArn"),
            "role_arn updates in place",
        );
        assert.deepStrictEqual(
            rules("aws:cloudwatch/logDeliverySource:LogDeliverySource")
                .filter((p) => p !== "region")
                .sort(),
            ["logType", "name", "resourceArn"],
        );
        assert.ok(rules("aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration").includes("bucket"));
    });

    it("kms key spec and usage replace, rotation updates; resources without ForceNew update (internet gateway, GuardDuty detector)", () => {
        for (const p of ["customerMasterKeySpec", "keyUsage", "multiRegion"]) assert.ok(rules("aws:kms/key:Key").includes(p), p);
        for (const p of ["enableKeyRotation", "policy", "deletionWindowInDays"])
            assert.ok(!rules("aws:kms/key:Key").includes(p), p);
        assert.deepStrictEqual(rules("aws:ec2/internetGateway:InternetGateway"), ["region"]);
        assert.deepStrictEqual(rules("aws:guardduty/detector:Detector"), ["region"]);
    });

    it("a changed per-resource region replaces every regional type; global IAM types have no region rule", () => {
        assert.deepStrictEqual(
            replaceVerdict("aws:sns/topicPolicy:TopicPolicy", true, { region: "us-east-1" }, { region: "us-west-2" }, ["region"])
                .kind,
            "replace",
        );
        assert.ok(!rules("aws:iam/role:Role").includes("region"));
        assert.ok(!rules("aws:iam/rolePolicyAttachment:RolePolicyAttachment").includes("region"));
    });

    it("conditional replacements: a security-group rule's source type replaces, its ports update; a VPC's tenancy replaces", () => {
        const type = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule";
        const base = { securityGroupId: "sg-1", ipProtocol: "tcp", fromPort: 443, toPort: 443 };
        const sourceChange = replaceVerdict(
            type,
            true,
            { ...base, cidrIpv4: "10.0.0.0/16" },
            { ...base, referencedSecurityGroupId: "sg-2" },
            ["cidrIpv4", "referencedSecurityGroupId"],
        );
        assert.strictEqual(sourceChange.kind, "replace");
        const portChange = replaceVerdict(
            type,
            true,
            { ...base, cidrIpv4: "10.0.0.0/16" },
            { ...base, fromPort: 8443, toPort: 8443, cidrIpv4: "10.0.0.0/16" },
            ["fromPort", "toPort"],
        );
        assert.deepStrictEqual(portChange, { kind: "update" });
        assert.ok(rules("aws:ec2/vpc:Vpc").includes("instanceTenancy"));
        assert.ok(!rules("aws:ec2/vpc:Vpc").includes("enableDnsHostnames"));
        assert.ok(
            rules("aws:rds/parameterGroup:ParameterGroup").includes("description"),
            "a parameter group's description is ForceNew",
        );
        assert.ok(rules("aws:eks/nodeGroup:NodeGroup").includes("remoteAccess.ec2SshKey"), "nested ForceNew path");
        assert.ok(!rules("aws:eks/nodeGroup:NodeGroup").includes("scalingConfig"), "scaling updates in place");
        assert.ok(!rules("aws:elasticache/replicationGroup:ReplicationGroup").includes("nodeType"), "node type updates in place");
        assert.ok(!rules("aws:lb/loadBalancer:LoadBalancer").includes("idleTimeout"));
    });
});

describe("CI-3 replace-forcing data: the refresh script", () => {
    // A schema written for this test in the shape of an SDKv2 and a plugin-framework resource.
    const sdkv2 = [
        "func resourceThing() *schema.Resource {",
        "\treturn &schema.Resource{",
        "\t\tSchema: map[string]*schema.Schema{",
        '\t\t\t"name": {',
        "\t\t\t\tType:     schema.TypeString,",
        "\t\t\t\tRequired: true,",
        "\t\t\t\tForceNew: true,",
        "\t\t\t},",
        '\t\t\t"comment": {',
        "\t\t\t\tType: schema.TypeString,",
        "\t\t\t},",
        '\t\t\t"launch_template": {',
        "\t\t\t\tType: schema.TypeList,",
        "\t\t\t\tElem: &schema.Resource{",
        "\t\t\t\t\tSchema: map[string]*schema.Schema{",
        '\t\t\t\t\t\t"template_id": {',
        "\t\t\t\t\t\t\tForceNew: true,",
        "\t\t\t\t\t\t},",
        '\t\t\t\t\t\t"version": {',
        "\t\t\t\t\t\t\tOptional: true,",
        "\t\t\t\t\t\t},",
        "\t\t\t\t\t},",
        "\t\t\t\t},",
        "\t\t\t},",
        "\t\t\tnames.AttrKMSKeyID: {",
        "\t\t\t\tForceNew: true,",
        "\t\t\t},",
        "\t\t},",
        "\t}",
        "}",
    ].join("\n");
    const framework = [
        "\t\tAttributes: map[string]schema.Attribute{",
        '\t\t\t"security_group_id": schema.StringAttribute{',
        "\t\t\t\tRequired: true,",
        "\t\t\t\tPlanModifiers: []planmodifier.String{",
        "\t\t\t\t\tstringplanmodifier.RequiresReplace(),",
        "\t\t\t\t},",
        "\t\t\t},",
        '\t\t\t"description": schema.StringAttribute{',
        "\t\t\t\tOptional: true,",
        "\t\t\t},",
        "\t\t},",
    ].join("\n");

    it("finds ForceNew and RequiresReplace attributes, nested paths included, in Pulumi's names", () => {
        assert.deepStrictEqual(forceNewPaths(sdkv2), ["kmsKeyId", "launchTemplate.templateId", "name"]);
        assert.deepStrictEqual(forceNewPaths(framework), ["securityGroupId"]);
    });

    it("maps upstream paths to @pulumi/aws inputs: bridge renames, pluralised list blocks, and paths the package lacks", () => {
        const args =
            "\n    name?: pulumi.Input<string>;\n    additionalConfigurations?: pulumi.Input<any>;\n    detectorId: pulumi.Input<string>;";
        const mapped = toPulumiPaths(["functionName", "additionalConfiguration.name", "detectorId", "brandNewAttribute"], args, {
            functionName: "name",
        });
        assert.deepStrictEqual(mapped, {
            accepted: ["additionalConfigurations.name", "detectorId", "name"],
            notInPackage: ["brandNewAttribute"],
        });
    });

    it("adds the region rule to a type whose Args accept region, keeps hand-kept conditional rules, and lists what the package lacks", () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "replace-data-"));
        try {
            fs.mkdirSync(path.join(dir, "src", "internal", "service", "thing"), { recursive: true });
            fs.writeFileSync(path.join(dir, "src", "internal", "service", "thing", "thing.go"), sdkv2);
            fs.mkdirSync(path.join(dir, "pkg", "thing"), { recursive: true });
            fs.writeFileSync(
                path.join(dir, "pkg", "thing", "thing.d.ts"),
                "export interface ThingArgs {\n    name: pulumi.Input<string>;\n    launchTemplate?: pulumi.Input<any>;\n    region?: pulumi.Input<string>;\n}\n",
            );
            const dataFile = path.join(dir, "aws.json");
            fs.writeFileSync(
                dataFile,
                JSON.stringify({
                    provider: "aws",
                    package: "@pulumi/aws",
                    packageVersion: "0.0.1",
                    refreshed: "2000-01-01",
                    upstream: {
                        project: "hashicorp/terraform-provider-aws",
                        revision: "old",
                        url: "https://github.com/hashicorp/terraform-provider-aws",
                        rule: "ForceNew",
                    },
                    types: {
                        "aws:thing/thing:Thing": {
                            file: "internal/service/thing/thing.go",
                            replaceOn: [{ property: "name", when: "removed" }],
                        },
                    },
                }),
            );
            refresh(dataFile, path.join(dir, "src"), "v6.0.0", "7.48.0", "2026-12-02", path.join(dir, "pkg"));
            const entry = JSON.parse(fs.readFileSync(dataFile, "utf8")).types["aws:thing/thing:Thing"];
            assert.deepStrictEqual(
                entry.replaceOn.map((r: string | { property: string }) => (typeof r === "string" ? r : `${r.property}*`)),
                ["launchTemplate.templateId", "name", "name*", "region*"],
            );
            assert.deepStrictEqual(entry.notInPackage, ["kmsKeyId"]);
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });

    it("rewrites the data file with the fields, the revision, the package version and the date", () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "replace-data-"));
        try {
            fs.mkdirSync(path.join(dir, "internal", "service", "thing"), { recursive: true });
            fs.writeFileSync(path.join(dir, "internal", "service", "thing", "thing.go"), sdkv2);
            const dataFile = path.join(dir, "aws.json");
            const data = {
                provider: "aws",
                package: "@pulumi/aws",
                packageVersion: "0.0.1",
                refreshed: "2000-01-01",
                upstream: {
                    project: "hashicorp/terraform-provider-aws",
                    revision: "old",
                    url: "https://github.com/hashicorp/terraform-provider-aws",
                    rule: "ForceNew",
                },
                types: {
                    "aws:thing/thing:Thing": { file: "internal/service/thing/thing.go", replaceOn: [] },
                    "aws:other/other:Other": { file: "not read yet", replaceOn: [], otherChanges: "may-replace" },
                },
            };
            fs.writeFileSync(dataFile, JSON.stringify(data));
            const result = refresh(dataFile, dir, "v6.0.0", "7.48.0", "2026-12-02");
            assert.deepStrictEqual(result, { updated: ["aws:thing/thing:Thing"], skipped: ["aws:other/other:Other"] });
            const written = JSON.parse(fs.readFileSync(dataFile, "utf8"));
            assert.deepStrictEqual(written.types["aws:thing/thing:Thing"], {
                file: "internal/service/thing/thing.go",
                replaceOn: ["kmsKeyId", "launchTemplate.templateId", "name"],
                revision: "v6.0.0",
            });
            assert.deepStrictEqual(
                [written.packageVersion, written.refreshed, written.upstream.revision],
                ["7.48.0", "2026-12-02", "v6.0.0"],
            );
            assert.strictEqual(written.types["aws:other/other:Other"].otherChanges, "may-replace");
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });
});
