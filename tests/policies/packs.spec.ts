import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { allRules } from "./cases";
import { securityRules } from "../../policies/security/rules";
import { maintenanceRules } from "../../policies/maintenance/rules";
import { STACKS, loadStackConfig, parseEntry, reconcile } from "../../policies/lib/config";
import { levelRank, toPolicy, type EnforcementLevel, type Rule } from "../../policies/lib/rule";
import { CATALOG_PATH, renderCatalog } from "../../tools/policy/catalog";

const ROOT = path.resolve(__dirname, "..", "..");
const POLICIES = path.join(ROOT, "policies");

function requirementIds(): Set<string> {
    const text = fs.readFileSync(path.join(ROOT, "docs", "requirements.md"), "utf8");
    const ids = new Set<string>();
    for (const line of text.split("\n")) {
        const first = /^\|\s*([A-Z0-9]+-\d+)\s*\|/.exec(line);
        if (first) {
            ids.add(first[1]);
        }
    }
    return ids;
}

function filesUnder(dir: string): string[] {
    return fs
        .readdirSync(dir, { withFileTypes: true })
        .flatMap((e) =>
            e.isDirectory() ? (e.name === "node_modules" ? [] : filesUnder(path.join(dir, e.name))) : [path.join(dir, e.name)],
        );
}

const packOf = (rule: Rule) => (securityRules.includes(rule) ? "security" : "maintenance");

function effective(stack: string) {
    const file = loadStackConfig(stack);
    return new Map([
        ...reconcile(securityRules.map(toPolicy), file, "mandatory"),
        ...reconcile(maintenanceRules.map(toPolicy), file, "advisory"),
    ]);
}

describe("policy packs: rule metadata, pack layout and per-stack config (POL-1, POL-3)", () => {
    describe("rule metadata (POL-1)", () => {
        const ids = requirementIds();

        it("reads the requirement catalog of docs/requirements.md", () => {
            assert.ok(ids.has("POL-1") && ids.has("DB-1") && ids.size > 30, `only ${ids.size} IDs found`);
        });

        for (const rule of allRules) {
            it(`${rule.name} has name, description, severity, level, remediation and known requirement IDs`, () => {
                assert.match(rule.name, /^[a-z0-9]+(-[a-z0-9]+)*$/);
                assert.notStrictEqual(rule.name, "all");
                assert.ok(rule.description.length > 20);
                assert.ok(["critical", "high", "medium", "low"].includes(rule.severity));
                assert.ok(["advisory", "mandatory", "disabled"].includes(rule.enforcementLevel));
                assert.ok(rule.remediation.length > 10);
                assert.ok(rule.requirements.length > 0);
                for (const id of rule.requirements) {
                    assert.ok(ids.has(id), `${id} is not in docs/requirements.md`);
                }
                assert.ok(!("enforcementLevel" in (rule.config ?? {})), "enforcementLevel is reserved by the SDK");
            });
        }

        it("has unique names across both packs (one config file serves both)", () => {
            const names = allRules.map((r) => r.name);
            assert.deepStrictEqual(
                names.filter((n, i) => names.indexOf(n) !== i),
                [],
            );
        });

        it("makes every security rule mandatory by default, except documented advisories", () => {
            const advisory = securityRules.filter((r) => r.enforcementLevel !== "mandatory").map((r) => r.name);
            assert.deepStrictEqual(advisory, ["iam-no-service-wildcard"]);
        });

        it("exports one rule per file, named after the file", () => {
            for (const pack of ["security", "maintenance"]) {
                const dir = path.join(POLICIES, pack, "rules");
                const files = fs.readdirSync(dir).filter((f) => f.endsWith(".ts") && f !== "index.ts");
                const rules = pack === "security" ? securityRules : maintenanceRules;
                assert.strictEqual(files.length, rules.length, `${pack}: files and exported rules differ`);
                for (const f of files) {
                    const text = fs.readFileSync(path.join(dir, f), "utf8");
                    const exports = [...text.matchAll(/^export const (\w+)/gm)].map((m) => m[1]);
                    assert.strictEqual(exports.length, 1, `${f} must export exactly one rule`);
                    const base = f.slice(0, -".ts".length);
                    const rule = rules.find((r) => r.name === base);
                    assert.ok(rule, `${pack}/rules/${f}: no rule is named "${base}" (rule name = file name, kebab case)`);
                    assert.match(base, /^[a-z0-9]+(-[a-z0-9]+)*$/, `${f}: file name is not kebab case`);
                    const camel = base.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());
                    assert.strictEqual(exports[0], camel, `${f}: the export should be named ${camel}`);
                }
            }
        });

        it("covers the services the issue lists (POL-2)", () => {
            const types = new Set(allRules.flatMap((r) => (r.kind === "resource" ? r.resourceTypes : [])));
            for (const t of [
                "aws:rds/instance:Instance",
                "aws:rds/parameterGroup:ParameterGroup",
                "aws:elasticache/replicationGroup:ReplicationGroup",
                "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
                "aws:s3/bucketPolicy:BucketPolicy",
                "aws:eks/cluster:Cluster",
                "aws:eks/nodeGroup:NodeGroup",
                "aws:ec2/launchTemplate:LaunchTemplate",
                "aws:ec2/securityGroup:SecurityGroup",
                "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup",
                "aws:iam/policy:Policy",
                "aws:iam/rolePolicy:RolePolicy",
                "aws:iam/role:Role",
                "aws:kms/key:Key",
                "aws:secretsmanager/secret:Secret",
                "aws:cloudwatch/logGroup:LogGroup",
                "aws:cloudwatch/metricAlarm:MetricAlarm",
                "aws:sns/topic:Topic",
                "aws:cloudtrail/trail:Trail",
                "aws:guardduty/detector:Detector",
                "aws:ecr/repository:Repository",
                "aws:cloudfront/distribution:Distribution",
                "aws:lb/listener:Listener",
                "aws:backup/vault:Vault",
                "kubernetes:apps/v1:Deployment",
                "kubernetes:batch/v1:CronJob",
            ]) {
                assert.ok(types.has(t), `no rule covers ${t}`);
            }
            assert.ok(allRules.length >= 70, `${allRules.length} rules`);
        });
    });

    describe("pack layout (POL-1)", () => {
        it("constructs PolicyPack only in the two index.ts entry files, which nothing imports", () => {
            const sources = [
                ...filesUnder(POLICIES),
                ...filesUnder(path.join(ROOT, "tests")),
                ...(fs.existsSync(path.join(ROOT, "tools")) ? filesUnder(path.join(ROOT, "tools")) : []),
            ].filter((f) => f.endsWith(".ts"));
            const constructing = sources
                .filter((f) => /new\s+PolicyPack\s*\(/.test(fs.readFileSync(f, "utf8")))
                .map((f) => path.relative(ROOT, f))
                .sort();
            assert.deepStrictEqual(constructing, ["policies/maintenance/index.ts", "policies/security/index.ts"]);
            const importers = sources.filter((f) =>
                /from\s+["'][./]*(policies\/)?(security|maintenance)(\/index)?["']/.test(fs.readFileSync(f, "utf8")),
            );
            assert.deepStrictEqual(
                importers.map((f) => path.relative(ROOT, f)),
                [],
            );
        });

        for (const pack of ["security", "maintenance"]) {
            it(`${pack}: PulumiPolicy.yaml and a package.json that needs no install of its own`, () => {
                const manifest = parse(fs.readFileSync(path.join(POLICIES, pack, "PulumiPolicy.yaml"), "utf8")) as Record<
                    string,
                    unknown
                >;
                assert.strictEqual(manifest["runtime"], "nodejs");
                const pkg = JSON.parse(fs.readFileSync(path.join(POLICIES, pack, "package.json"), "utf8")) as Record<
                    string,
                    unknown
                >;
                assert.match(String(pkg["version"]), /^\d+\.\d+\.\d+$/, "the PolicyPack constructor reads the version from here");
                assert.strictEqual(pkg["main"], "index.ts");
                assert.ok(fs.existsSync(path.join(POLICIES, pack, "index.ts")));
                for (const key of ["dependencies", "devDependencies", "scripts", "type"]) {
                    assert.ok(!(key in pkg), `${key} would ask for a separate install/build or change module loading`);
                }
                assert.ok(
                    !fs.existsSync(path.join(POLICIES, pack, "node_modules")),
                    "a second @pulumi/pulumi copy breaks the analyzer",
                );
            });
        }
    });

    describe("per-stack config files (POL-3)", () => {
        const policies = new Map(allRules.map((r) => [r.name, r]));

        for (const stack of STACKS) {
            it(`${stack}.json parses, names only existing policies and valid properties`, () => {
                const file = loadStackConfig(stack);
                for (const [key, value] of Object.entries(file)) {
                    const entry = parseEntry(key, value);
                    if (key === "all") {
                        continue;
                    }
                    const rule = policies.get(key);
                    assert.ok(rule, `${stack}.json: unknown policy ${key}`);
                    for (const prop of Object.keys(entry.properties)) {
                        assert.ok(
                            prop === "exemptions" || prop in (rule.config ?? {}),
                            `${stack}.json: ${key} has no property ${prop}`,
                        );
                    }
                }
                assert.doesNotThrow(() => effective(stack));
            });
        }

        it("rejects invalid config the way the CLI does", () => {
            assert.throws(() => parseEntry("x", "strict"), /not a valid enforcement level/);
            assert.throws(
                () => reconcile(maintenanceRules.map(toPolicy), { "log-group-retention": { minDays: "ninety" } }),
                /log-group-retention: minDays: expected integer/,
            );
        });

        it("dev relaxes only rules that guard paid features, never data or secret protection", () => {
            const dev = effective("dev");
            for (const rule of allRules) {
                const level = dev.get(rule.name)?.enforcementLevel as EnforcementLevel;
                if (levelRank(level) < levelRank(rule.enforcementLevel)) {
                    assert.ok(rule.costOnly, `dev relaxes ${rule.name} (${packOf(rule)}), which protects data or secrets`);
                }
                for (const [key, property] of Object.entries(rule.config ?? {})) {
                    const value = dev.get(rule.name)?.properties[key];
                    if (property.stricter && !rule.costOnly && typeof value === "number") {
                        const def = property.schema.default as number;
                        assert.ok(
                            property.stricter === "higher" ? value >= def : value <= def,
                            `dev weakens ${rule.name}.${key}`,
                        );
                    }
                }
            }
            const relaxed = allRules
                .filter((r) => levelRank(dev.get(r.name)?.enforcementLevel as EnforcementLevel) < levelRank(r.enforcementLevel))
                .map((r) => r.name)
                .sort();
            assert.deepStrictEqual(relaxed, [
                "backup-vault-lock",
                "elasticache-multi-az-failover",
                "rds-multi-az",
                "waf-on-public-entry",
            ]);
        });

        it("makes prod the strictest stack: levels and thresholds prod >= staging >= dev", () => {
            const [dev, staging, prod] = STACKS.map(effective);
            for (const rule of allRules) {
                const rank = (m: typeof dev) => levelRank(m.get(rule.name)?.enforcementLevel as EnforcementLevel);
                assert.ok(rank(prod) >= rank(staging) && rank(staging) >= rank(dev), `${rule.name} levels are not ordered`);
                for (const [key, property] of Object.entries(rule.config ?? {})) {
                    if (!property.stricter) {
                        continue;
                    }
                    const [d, s, p] = [dev, staging, prod].map((m) => m.get(rule.name)?.properties[key] as number);
                    const ordered = property.stricter === "higher" ? p >= s && s >= d : p <= s && s <= d;
                    assert.ok(ordered, `${rule.name}.${key}: dev ${d}, staging ${s}, prod ${p}`);
                }
            }
            assert.strictEqual(prod.get("cross-region-dr")?.enforcementLevel, "mandatory");
            assert.strictEqual(prod.get("rds-backup-retention")?.properties["minDays"], 14);
            assert.strictEqual(dev.get("cross-region-dr")?.enforcementLevel, "disabled");
        });
    });

    describe("generated catalogue docs/policies.md (POL-1)", () => {
        it("is current with the rule modules and config files", () => {
            const committed = fs.readFileSync(CATALOG_PATH, "utf8");
            assert.ok(
                committed === renderCatalog(),
                "docs/policies.md is stale: run `node -r ts-node/register/transpile-only tools/policy/catalog.ts --write`",
            );
        });

        it("lists every rule with its requirement IDs", () => {
            const text = renderCatalog();
            for (const rule of allRules) {
                assert.ok(text.includes(`| \`${rule.name}\` | ${rule.kind} | ${rule.severity} |`), rule.name);
                assert.ok(text.includes(rule.requirements.join(", ")));
            }
        });
    });
});
