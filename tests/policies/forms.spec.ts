/**
 * Every form (POL-4): policies/lib/forms.json lists, per concern, every resource form the pinned providers
 * offer; each rule of a concern has a compliant and a violating case in each listed form, and is proven on
 * them here. The table is data with its provider versions: a provider bump without a refreshed table fails.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import type { ResourceRule } from "../../policies/lib/rule";
import { resourceCases, ruleNamed, type ResourceCase } from "./cases";
import { formResourceCases, formStackCases } from "./form-cases";
import { WIRE, checkResource, checkStack, resource } from "./harness";

interface Concern {
    concern: string;
    requirements: string[];
    rules: string[];
    forms: string[];
    anchors: string;
}
interface FormsTable {
    providers: Record<string, string>;
    customResources: Record<string, string>;
    concerns: Concern[];
    notJudged: { form: string; rule: string; reason: string }[];
}

const ROOT = path.resolve(__dirname, "..", "..");
const table = JSON.parse(fs.readFileSync(path.join(ROOT, "policies", "lib", "forms.json"), "utf8")) as FormsTable;
const allResourceCases: ResourceCase[] = [...resourceCases, ...formResourceCases];

/** The file of the provider's resource class for a type token, e.g. aws:rds/clusterInstance:ClusterInstance. */
function providerFile(token: string): string {
    const [pkg, module, name] = token.split(":");
    if (pkg === "aws") {
        return path.join(ROOT, "node_modules", "@pulumi", "aws", `${module}.js`);
    }
    const [group, version] = module.split("/");
    const dir = group.includes(".") ? group.split(".")[0] : group;
    return path.join(ROOT, "node_modules", "@pulumi", "kubernetes", dir, version, `${name[0].toLowerCase()}${name.slice(1)}.js`);
}

describe("every resource form of every concern (POL-4)", () => {
    it("records the pinned provider versions of package.json (a bump needs a refreshed table)", () => {
        const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as {
            dependencies: Record<string, string>;
        };
        for (const [pkg, version] of Object.entries(table.providers)) {
            assert.strictEqual(manifest.dependencies[pkg], version, `${pkg}: forms.json has ${version}`);
            const installed = JSON.parse(
                fs.readFileSync(path.join(ROOT, "node_modules", ...pkg.split("/"), "package.json"), "utf8"),
            ) as { version: string };
            assert.strictEqual(installed.version, version, `${pkg} installed`);
        }
    });

    it("names only type tokens the pinned providers declare (or listed custom resources)", () => {
        const missing: string[] = [];
        for (const token of new Set(table.concerns.flatMap((c) => c.forms))) {
            if (table.customResources[token]) {
                continue;
            }
            const file = providerFile(token);
            if (!fs.existsSync(file) || !fs.readFileSync(file, "utf8").includes(`'${token}'`)) {
                missing.push(token);
            }
        }
        assert.deepStrictEqual(missing, []);
    });

    it("names existing rules, and lists every type a resource rule applies to among its concern's forms", () => {
        for (const c of table.concerns) {
            assert.ok(c.rules.length > 0 && c.forms.length > 0 && c.anchors.trim() !== "", c.concern);
            for (const name of c.rules) {
                const rule = ruleNamed(name);
                if (rule.kind === "resource") {
                    const extra = (rule as ResourceRule).resourceTypes.filter(
                        (t) =>
                            !c.forms.includes(t) &&
                            !table.concerns.some((o) => o !== c && o.rules.includes(name) && o.forms.includes(t)),
                    );
                    assert.deepStrictEqual(extra, [], `${name} judges types its concern does not list`);
                    for (const form of c.forms) {
                        assert.ok((rule as ResourceRule).resourceTypes.includes(form), `${name} does not judge ${form}`);
                    }
                }
            }
        }
    });

    it("explains every form a rule does not judge", () => {
        for (const n of table.notJudged) {
            assert.ok(n.reason.trim().length >= 20, `${n.form}: ${n.reason}`);
        }
    });

    it("has a compliant and a violating case for every rule in every form of its concern", () => {
        const missing: string[] = [];
        for (const c of table.concerns) {
            for (const name of c.rules) {
                const kind = ruleNamed(name).kind;
                for (const form of c.forms) {
                    const has =
                        kind === "resource"
                            ? allResourceCases.some((x) => x.rule === name && x.type === form && x.bad.length > 0)
                            : formStackCases.some(
                                  (x) => x.rule === name && x.form === form && x.ok.length > 0 && x.bad.length > 0,
                              );
                    if (!has) {
                        missing.push(`${name} × ${form}`);
                    }
                }
            }
        }
        assert.deepStrictEqual(missing, []);
    });

    describe("resource forms", () => {
        for (const c of formResourceCases) {
            const rule = ruleNamed(c.rule);
            it(`${c.rule} on ${c.type}: passes the compliant form, reports ${c.bad.map((b) => b.why).join("; ")}`, async () => {
                const ok = await checkResource(rule, resource(c.type, "compliant", c.ok), { config: c.config });
                assert.deepStrictEqual([ok.notApplicable, ok.violations, ok.cannotJudge], [undefined, [], []]);
                for (const bad of c.bad) {
                    const outcome = await checkResource(rule, resource(c.type, "violating", bad.props), { config: c.config });
                    assert.ok(
                        outcome.violations.some((v) => bad.expect.test(v.message)),
                        `${bad.why}: ${JSON.stringify(outcome)}`,
                    );
                }
            });
        }
    });

    describe("stack forms", () => {
        for (const c of formStackCases) {
            const rule = ruleNamed(c.rule);
            it(`${c.rule} on ${c.form}: passes the compliant stack, reports ${c.bad.map((b) => b.why).join("; ")}`, async () => {
                const ok = await checkStack(rule, c.ok);
                assert.deepStrictEqual([ok.violations, ok.cannotJudge], [[], []]);
                for (const bad of c.bad) {
                    const outcome = await checkStack(rule, bad.resources);
                    assert.ok(
                        outcome.violations.some(
                            (v) => bad.expect.test(v.message) && bad.resources.some((r) => r.urn === v.urn && r.type === c.form),
                        ),
                        `${bad.why}: ${JSON.stringify(outcome)}`,
                    );
                }
            });
        }
    });
});

describe("data-store-alarms watches a cache cluster through its replication group (ALARM-1, POL-4)", () => {
    it("asks no alarms of a member cluster, and cannot judge one whose group is unknown", async () => {
        const member = resource("aws:elasticache/cluster:Cluster", "member", { clusterId: "c-003", replicationGroupId: "cache" });
        assert.deepStrictEqual(await checkStack(ruleNamed("data-store-alarms"), [member]), { violations: [], cannotJudge: [] });
        const unknown = resource("aws:elasticache/cluster:Cluster", "unknown", {
            clusterId: "c-004",
            replicationGroupId: WIRE.unknown,
        });
        assert.match(
            (await checkStack(ruleNamed("data-store-alarms"), [unknown])).cannotJudge[0] ?? "",
            /joins a replication group/,
        );
    });
});
