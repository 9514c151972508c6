/**
 * CI-1, UP-1: versions kept current. renovate.json validates against the configuration schema of the pinned
 * Renovate (tests/upstream/renovate/renovate-schema.json, from the published npm package, with the datasource,
 * versioning and manager names of that version), and its custom regex managers, applied the way Renovate applies
 * them (managerFilePatterns on repository paths, each matchString with the `g` flag, named groups before
 * templates), find every pin of the rendered stacks exactly once: each Helm chart with its repository, each EKS
 * add-on for the cluster's Kubernetes version, each container image, and the Kubernetes version. A new pin without
 * a manager fails; so does a manager that finds nothing.
 */
import { strict as assert } from "node:assert";
import { execFileSync, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import Ajv from "ajv";
import { nameOf, ofType, renderedStack, REPO_ROOT, resources, STACKS } from "../support/plan";
import { readData } from "./support";

interface CustomManager {
    customType: string;
    description?: string;
    managerFilePatterns: string[];
    matchStrings: string[];
    datasourceTemplate?: string;
    depNameTemplate?: string;
    packageNameTemplate?: string;
    registryUrlTemplate?: string;
    versioningTemplate?: string;
}
interface PackageRule {
    description?: string;
    matchManagers?: string[];
    matchDatasources?: string[];
    matchDepTypes?: string[];
    matchPackageNames?: string[];
    matchUpdateTypes?: string[];
    groupName?: string;
    enabled?: boolean;
    [key: string]: unknown;
}
interface RenovateConfig {
    enabledManagers: string[];
    packageRules: PackageRule[];
    customManagers: CustomManager[];
    [key: string]: unknown;
}
interface RenovateFacts {
    source: { project: string; package: string; file: string; version: string; url: string };
    datasources: string[];
    versionings: string[];
    managers: string[];
    schema: Record<string, any>;
}

const config = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "renovate.json"), "utf8")) as RenovateConfig;
const facts = readData<RenovateFacts>("renovate", "renovate-schema.json");

/** A dependency as a custom manager extracts it. */
export interface ExtractedDep {
    manager: number;
    file: string;
    datasource?: string;
    depName?: string;
    packageName?: string;
    currentValue?: string;
    currentDigest?: string;
    registryUrl?: string;
    versioning?: string;
}

/** Repository files as Renovate sees them: tracked and new, ignored files left out. */
function repositoryFiles(): string[] {
    return execFileSync("git", ["ls-files", "--cached", "--others", "--exclude-standard"], { cwd: REPO_ROOT, encoding: "utf8" })
        .split("\n")
        .filter((f) => f && fs.existsSync(path.join(REPO_ROOT, f)));
}

/** managerFilePatterns: `/regex/` patterns only here (a glob would need Renovate's minimatch options). */
function filePattern(pattern: string): RegExp {
    const m = /^\/(.*)\/([a-z]*)$/.exec(pattern);
    if (!m) throw new Error(`managerFilePatterns ${pattern}: write it as /regex/ (globs are not checked by this test)`);
    return new RegExp(m[1], m[2]);
}

/** What Renovate's regex custom manager (matchStringsStrategy "any") extracts from the repository. */
export function extract(managers: CustomManager[], files: string[]): ExtractedDep[] {
    const deps: ExtractedDep[] = [];
    managers.forEach((manager, index) => {
        const template = (name: string, value: string | undefined) => {
            if (value !== undefined && value.includes("{{"))
                throw new Error(`customManagers[${index}].${name}: templates with expressions are not evaluated by this test`);
            return value;
        };
        for (const file of files.filter((f) => manager.managerFilePatterns.some((p) => filePattern(p).test(f)))) {
            const text = fs.readFileSync(path.join(REPO_ROOT, file), "utf8");
            for (const matchString of manager.matchStrings) {
                for (const m of text.matchAll(new RegExp(matchString, "g"))) {
                    const g = m.groups ?? {};
                    deps.push({
                        manager: index,
                        file,
                        datasource: g.datasource ?? template("datasourceTemplate", manager.datasourceTemplate),
                        depName: g.depName ?? template("depNameTemplate", manager.depNameTemplate),
                        packageName: g.packageName ?? template("packageNameTemplate", manager.packageNameTemplate),
                        currentValue: g.currentValue,
                        currentDigest: g.currentDigest,
                        registryUrl: g.registryUrl ?? template("registryUrlTemplate", manager.registryUrlTemplate),
                        versioning: g.versioning ?? template("versioningTemplate", manager.versioningTemplate),
                    });
                }
            }
        }
    });
    return deps;
}

/** One pin of the rendered program that Renovate must keep current. */
interface Pin {
    what: string;
    datasource: string;
    /** The package as the datasource looks it up (packageName, or depName when none). */
    lookup: string;
    currentValue: string;
    registryUrl?: string;
}

/** Images the program runs that no registry datasource can update, each with its reason. */
const NOT_RENOVATED: { image: RegExp; reason: string }[] = [
    {
        image: /^\d{12}\.dkr\.ecr\.[a-z0-9-]+\.amazonaws\.com\/bookbuddy-[a-z]+\/(api|web):/,
        reason: "the application's own release, its tag set per release in the stack file (APP-1)",
    },
    {
        image: /^ghcr\.io\/bookbuddy\/db-jobs:pg/,
        reason: "built by this repository from components/maintenance/image/Dockerfile, whose base image and AWS CLI Renovate updates",
    },
    { image: /^aws\/codebuild\//, reason: "a CodeBuild-managed image, updated in place by AWS; no registry lists its versions" },
];

const ELASTIC_KINDS = new Set(["Elasticsearch", "Kibana", "Logstash"]);

/** Every pin of a rendered stack: Helm charts, EKS add-ons, the Kubernetes version, container images. */
async function pinsOf(stack: string): Promise<{ pins: Pin[]; exempt: string[] }> {
    const doc = await renderedStack(stack);
    const pins: Pin[] = [];
    const exempt: string[] = [];
    const cluster = ofType(doc, "aws:eks/cluster:Cluster");
    assert.equal(cluster.length, 1);
    const kubernetesVersion = String(cluster[0].inputs.version);
    pins.push({
        what: "Kubernetes version",
        datasource: "endoflife-date",
        lookup: "amazon-eks",
        currentValue: kubernetesVersion,
    });
    for (const r of ofType(doc, "kubernetes:helm.sh/v3:Release")) {
        const repo = (r.inputs.repositoryOpts as { repo?: string } | undefined)?.repo;
        assert.ok(repo, `${nameOf(r)}: a chart from a repository`);
        pins.push({
            what: `chart ${String(r.inputs.chart)}`,
            datasource: "helm",
            lookup: String(r.inputs.chart),
            currentValue: String(r.inputs.version),
            registryUrl: repo,
        });
    }
    for (const a of ofType(doc, "aws:eks/addon:Addon")) {
        const addonName = String(a.inputs.addonName);
        pins.push({
            what: `EKS add-on ${addonName}`,
            datasource: "aws-eks-addon",
            lookup: JSON.stringify({ addonName, kubernetesVersion }),
            currentValue: String(a.inputs.addonVersion),
        });
    }
    const images = new Set<string>();
    const walk = (value: unknown): void => {
        if (Array.isArray(value)) value.forEach(walk);
        else if (value && typeof value === "object") {
            for (const [k, v] of Object.entries(value)) {
                if (k === "image" && typeof v === "string") images.add(v);
                else if (k === "image" && v && typeof v === "object" && "repository" in v)
                    images.add(`${String((v as any).repository)}:${String((v as any).tag ?? "")}`);
                else walk(v);
            }
        }
    };
    for (const r of resources(doc)) {
        walk(r.inputs);
        // ECK runs the Elastic images of spec.version.
        if (r.type.startsWith("kubernetes:") && ELASTIC_KINDS.has(String(r.inputs.kind)))
            images.add(`docker.elastic.co/elasticsearch/elasticsearch:${String((r.inputs.spec as any).version)}`);
    }
    for (const image of images) {
        if (NOT_RENOVATED.some((n) => n.image.test(image))) {
            exempt.push(image);
            continue;
        }
        const m = /^(?<name>[^@]+?):(?<tag>[^:@/]+)(?:@(?<digest>sha256:[a-f0-9]{64}))?$/.exec(image);
        assert.ok(m?.groups, `${stack}: image ${image} is not pinned by a tag`);
        pins.push({ what: `image ${image}`, datasource: "docker", lookup: m.groups.name, currentValue: m.groups.tag });
    }
    return { pins, exempt };
}

const lookupOf = (d: ExtractedDep) =>
    d.datasource === "aws-eks-addon" && d.packageName ? JSON.stringify(JSON.parse(d.packageName)) : (d.packageName ?? d.depName);
const sameRegistry = (a?: string, b?: string) => (a ?? "").replace(/\/+$/, "") === (b ?? "").replace(/\/+$/, "");

describe("CI-1 renovate.json against the pinned Renovate's schema", function () {
    it("the schema data names its source", function () {
        assert.equal(facts.source.package, `renovate@${facts.source.version}`);
        assert.equal(facts.source.url, `https://registry.npmjs.org/renovate/-/renovate-${facts.source.version}.tgz`);
        assert.equal(facts.schema["x-renovate-version"], facts.source.version);
    });

    it("validates against it, with no key the schema does not list", function () {
        const ajv = new Ajv({ allErrors: true, strict: false, logger: false });
        ajv.addFormat("regex", (s: string) => {
            try {
                new RegExp(s);
                return true;
            } catch {
                return false;
            }
        });
        const validate = ajv.compile(facts.schema);
        assert.equal(validate(config), true, JSON.stringify(validate.errors));
        const known = (defs: Record<string, any>) => new Set(Object.keys(defs));
        const top = known(facts.schema.properties);
        assert.deepEqual(
            Object.keys(config).filter((k) => k !== "$schema" && !top.has(k)),
            [],
        );
        // customManagers entries take the options the schema lists for them; packageRules entries their match
        // options and any other configuration option (the schema lists only the former under packageRules).
        const ruleKeys = new Set([...known(facts.schema.definitions.packageRules.items.allOf[0].properties), ...top]);
        const managerKeys = known(facts.schema.definitions.customManagers.items.allOf[0].properties);
        for (const [i, r] of config.packageRules.entries())
            assert.deepEqual(
                Object.keys(r).filter((k) => !ruleKeys.has(k)),
                [],
                `packageRules[${i}]`,
            );
        for (const [i, m] of config.customManagers.entries())
            assert.deepEqual(
                Object.keys(m).filter((k) => !managerKeys.has(k)),
                [],
                `customManagers[${i}]`,
            );
        // A wrong value is caught.
        assert.equal(validate({ ...config, customManagers: [{ ...config.customManagers[0], customType: "regexp" }] }), false);
        assert.equal(validate({ ...config, minimumReleaseAge: 7 }), false);
    });

    it("names only managers, datasources and versionings that Renovate version has", function () {
        for (const m of config.enabledManagers)
            assert.ok(m === "custom.regex" || facts.managers.includes(m), `enabledManagers: ${m}`);
        for (const [i, m] of config.customManagers.entries()) {
            assert.equal(m.customType, "regex");
            assert.ok(m.description, `customManagers[${i}] says what it updates`);
            assert.ok(
                m.datasourceTemplate && facts.datasources.includes(m.datasourceTemplate),
                `customManagers[${i}]: datasource ${m.datasourceTemplate}`,
            );
            assert.ok(m.depNameTemplate, `customManagers[${i}]: depNameTemplate`);
            if (m.versioningTemplate)
                assert.ok(
                    facts.versionings.includes(m.versioningTemplate),
                    `customManagers[${i}]: versioning ${m.versioningTemplate}`,
                );
        }
        for (const r of config.packageRules)
            for (const d of r.matchDatasources ?? []) assert.ok(facts.datasources.includes(d), d);
    });

    it("every custom manager finds something, once per file and string", function () {
        const deps = extract(config.customManagers, repositoryFiles());
        for (const [i, m] of config.customManagers.entries()) {
            const found = deps.filter((d) => d.manager === i);
            assert.ok(found.length > 0, `customManagers[${i}] (${m.description}) matches nothing`);
            for (const d of found) assert.ok(d.currentValue, `customManagers[${i}]: ${d.file} without currentValue`);
        }
    });
});

describe("UP-1 every pin of the rendered stacks is kept current by exactly one manager", function () {
    this.timeout(300_000);
    const deps = extract(config.customManagers, repositoryFiles());

    for (const stack of STACKS) {
        it(stack, async function () {
            const { pins, exempt } = await pinsOf(stack);
            assert.ok(pins.filter((p) => p.datasource === "helm").length >= 12, "the charts are enumerated");
            assert.ok(exempt.length > 0);
            const problems: string[] = [];
            for (const pin of pins) {
                const matching = deps.filter(
                    (d) => d.datasource === pin.datasource && lookupOf(d) === pin.lookup && d.currentValue === pin.currentValue,
                );
                const managers = new Set(matching.map((d) => d.manager));
                if (managers.size !== 1)
                    problems.push(
                        `${pin.what} ${pin.currentValue}: found by ${managers.size} custom managers (${pin.datasource} ${pin.lookup})`,
                    );
                for (const d of matching)
                    if (pin.registryUrl && !sameRegistry(d.registryUrl, pin.registryUrl))
                        problems.push(`${pin.what}: registryUrl ${d.registryUrl}, the release uses ${pin.registryUrl}`);
            }
            assert.deepEqual(problems, []);
        });
    }

    it("the add-on managers ask for the cluster's Kubernetes version", async function () {
        for (const stack of STACKS) {
            const [cluster] = ofType(await renderedStack(stack), "aws:eks/cluster:Cluster");
            for (const d of deps.filter((x) => x.datasource === "aws-eks-addon")) {
                assert.equal(
                    JSON.parse(d.packageName!).kubernetesVersion,
                    String(cluster.inputs.version),
                    `${d.depName}: move kubernetesVersion in renovate.json with the cluster`,
                );
            }
        }
    });

    it("the matcher is not vacuous: a changed pin or a new chart is reported", function () {
        const schemaText = fs.readFileSync(path.join(REPO_ROOT, "infra/config/schema.ts"), "utf8");
        assert.ok(
            deps.some(
                (d) =>
                    d.file === "infra/config/schema.ts" &&
                    d.depName === "kube-prometheus-stack" &&
                    schemaText.includes(`default: "${d.currentValue}"`),
            ),
        );
        const pin: Pin = { what: "chart new-chart", datasource: "helm", lookup: "new-chart", currentValue: "1.0.0" };
        assert.equal(deps.filter((d) => d.datasource === pin.datasource && lookupOf(d) === pin.lookup).length, 0);
        assert.throws(() => filePattern("**/*.ts"), /write it as \/regex\//);
    });
});

describe("CI-1 Renovate groups npm dependencies as the project decided", function () {
    /** Renovate's matchPackageNames: exact names, globs (`*` within a segment, `**` across) and `!` negations. */
    const glob = (pattern: string, name: string) =>
        new RegExp(
            `^${pattern
                .replace(/[.+?^${}()|[\]\\]/g, "\\$&")
                .replace(/\*\*/g, "\0")
                .replace(/\*/g, "[^/]*")
                .replace(/\0/g, ".*")}$`,
        ).test(name);
    const matches = (rule: PackageRule, name: string, depType: string) => {
        if (rule.matchManagers && !rule.matchManagers.includes("npm")) return false;
        if (rule.matchDatasources || rule.matchUpdateTypes) return false;
        if (rule.matchDepTypes && !rule.matchDepTypes.includes(depType)) return false;
        const names = rule.matchPackageNames ?? [];
        const positive = names.filter((p) => !p.startsWith("!"));
        if (positive.length && !positive.some((p) => glob(p, name))) return false;
        return !names.filter((p) => p.startsWith("!")).some((p) => glob(p.slice(1), name));
    };
    /** Later rules win, as in Renovate. */
    const groupOf = (name: string, depType: string) =>
        config.packageRules.filter((r) => r.groupName && matches(r, name, depType)).pop()?.groupName;

    it("@pulumi/* together, runtime and development tooling in their own groups", function () {
        const pkg = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "package.json"), "utf8"));
        for (const [type, deps] of [
            ["dependencies", pkg.dependencies],
            ["devDependencies", pkg.devDependencies],
        ] as const) {
            for (const name of Object.keys(deps)) {
                const expected = name.startsWith("@pulumi/") ? "pulumi" : type === "dependencies" ? "runtime" : "dev-tooling";
                assert.equal(groupOf(name, type), expected, `${name} (${type})`);
            }
        }
        const held = config.packageRules.find((r) => r.enabled === false && r.matchManagers?.includes("npm"));
        assert.deepEqual(held?.matchPackageNames?.slice().sort(), ["@types/node", "node", "typescript"]);
        assert.deepEqual(held?.matchUpdateTypes, ["major"]);
    });

    it("GitHub Actions are pinned by commit SHA with the version as a comment, which Renovate keeps together", function () {
        const dir = path.join(REPO_ROOT, ".github", "workflows");
        for (const file of fs.readdirSync(dir)) {
            for (const line of fs.readFileSync(path.join(dir, file), "utf8").split("\n")) {
                const m = /uses:\s*([^\s#]+)(.*)$/.exec(line);
                if (!m || m[1].startsWith("./")) continue;
                assert.match(m[1], /@[0-9a-f]{40}$/, `${file}: ${m[1]}`);
                assert.match(m[2], /#\s*v\d+(\.\d+)*/, `${file}: ${m[1]} has its version as a comment`);
            }
        }
        assert.ok(
            config.enabledManagers.includes("github-actions") &&
                config.enabledManagers.includes("npm") &&
                config.enabledManagers.includes("dockerfile"),
        );
    });
});

describe("CI-1: tools/upstream/refresh-renovate-schema.ts", function () {
    this.timeout(60_000);
    const run = (args: string[]) =>
        spawnSync(process.execPath, ["-r", "./tools/ts-loader.cjs", "tools/upstream/refresh-renovate-schema.ts", ...args], {
            cwd: REPO_ROOT,
            encoding: "utf8",
        });

    it("keeps the schema without prose and the module names of the packed release", function () {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "renovate-pack-"));
        const pkg = path.join(dir, "package");
        for (const m of ["datasource/helm", "datasource/docker", "versioning/loose", "manager/npm"]) {
            fs.mkdirSync(path.join(pkg, "dist", "modules", m), { recursive: true });
            fs.writeFileSync(path.join(pkg, "dist", "modules", m, "index.js"), "");
        }
        fs.writeFileSync(path.join(pkg, "package.json"), JSON.stringify({ name: "renovate", version: "1.2.3" }));
        const schema = {
            "x-renovate-version": "1.2.3",
            properties: {
                description: { type: "string", description: "kept: a property" },
                labels: { type: "array", description: "prose", markdownDescription: "prose" },
            },
        };
        fs.writeFileSync(path.join(pkg, "renovate-schema.json"), JSON.stringify(schema));
        execFileSync("tar", ["-czf", path.join(dir, "renovate-1.2.3.tgz"), "-C", dir, "package"]);
        const out = path.join(dir, "out");
        const r = run(["--tarball", path.join(dir, "renovate-1.2.3.tgz"), "--out-dir", out]);
        assert.equal(r.status, 0, r.stderr);
        const data = JSON.parse(fs.readFileSync(path.join(out, "renovate-schema.json"), "utf8")) as RenovateFacts;
        assert.equal(data.source.package, "renovate@1.2.3");
        assert.deepEqual(data.datasources, ["docker", "helm"]);
        assert.deepEqual(data.versionings, ["loose"]);
        assert.deepEqual(data.managers, ["npm"]);
        assert.deepEqual(data.schema, {
            "x-renovate-version": "1.2.3",
            properties: { description: { type: "string" }, labels: { type: "array" } },
        });
        fs.rmSync(dir, { recursive: true, force: true });
    });

    it("bad input: one clear message and exit 2", function () {
        const r = run(["--tarball", "/nonexistent/renovate.tgz"]);
        assert.equal(r.status, 2);
        assert.equal(r.stderr, "refresh-renovate-schema: --tarball /nonexistent/renovate.tgz: no such file\n");
        assert.equal(run([]).stderr, "refresh-renovate-schema: --tarball is required (npm pack renovate@<version>)\n");
        const notPackage = run(["--tarball", path.join(REPO_ROOT, "package.json")]);
        assert.equal(notPackage.status, 2);
        assert.match(notPackage.stderr, /not a renovate package tarball/);
    });
});
