/**
 * Regenerates upstream/<source>.json, the anchor rule lists (POL-2, #17): each rule's ID, title and the resource
 * types or Kubernetes kinds it reads, extracted from a clone of the source's repository at the pinned ref of
 * sources.ts. Only facts are kept (identifier, title, targets, file); no rule logic or prose beyond the title.
 *
 *   git clone https://github.com/bridgecrewio/checkov /tmp/checkov
 *   node -r ./tools/ts-loader.cjs tools/policy/anchors/extract.ts --source checkov --git /tmp/checkov
 *
 * The ref is read with `git show <ref>:<path>`, so the clone's checked-out branch does not matter.
 */
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import YAML from "yaml";
import { ANCHOR_SOURCES, type AnchorSource } from "./sources";

/** One upstream rule as stored in upstream/<source>.json. */
export interface AnchorRule {
    id: string;
    title: string;
    /** Terraform/CloudFormation resource types, Pulumi types or Kubernetes kinds the rule reads. */
    targets: string[];
    /** File of the repository the rule was read from. */
    path: string;
}

/** The content of upstream/<source>.json. */
export interface AnchorData {
    source: string;
    repository: string;
    ref: string;
    commit: string;
    rules: AnchorRule[];
}

export const UPSTREAM_DIR = path.join(__dirname, "upstream");

/** Kubernetes kinds recognised in checks' source (the pseudo kind "PodSpec" stands for every pod-bearing kind). */
export const KUBERNETES_KINDS = [
    "Pod",
    "Deployment",
    "DaemonSet",
    "StatefulSet",
    "ReplicaSet",
    "ReplicationController",
    "Job",
    "CronJob",
    "Service",
    "Ingress",
    "ConfigMap",
    "Secret",
    "ServiceAccount",
    "Namespace",
    "Role",
    "ClusterRole",
    "RoleBinding",
    "ClusterRoleBinding",
    "NetworkPolicy",
    "PodSecurityPolicy",
    "PodDisruptionBudget",
    "HorizontalPodAutoscaler",
    "StorageClass",
    "PersistentVolume",
    "PersistentVolumeClaim",
    "ServiceMonitor",
    "LimitRange",
    "ResourceQuota",
    "CustomResourceDefinition",
    "Route",
    "DeploymentConfig",
];

class Repo {
    constructor(
        private readonly dir: string,
        private readonly ref: string,
    ) {}
    git(...args: string[]): string {
        // git's own message (e.g. an unknown ref) goes into the thrown error, not to the terminal.
        return execFileSync("git", ["-C", this.dir, ...args], {
            encoding: "utf8",
            maxBuffer: 64 * 1024 * 1024,
            stdio: ["ignore", "pipe", "pipe"],
        });
    }
    commit(): string {
        return this.git("rev-parse", `${this.ref}^{commit}`).trim();
    }
    files(under: string): string[] {
        return this.git("ls-tree", "-r", "--name-only", this.ref, "--", under)
            .split("\n")
            .filter((f) => f !== "");
    }
    read(file: string): string {
        return this.git("show", `${this.ref}:${file}`);
    }
}

function quoted(text: string): string[] {
    return [...text.matchAll(/"([^"\n]*)"|'([^'\n]*)'/g)].map((m) => m[1] ?? m[2]);
}

function pythonString(source: string, key: string): string | undefined {
    const m = new RegExp(`\\b${key}\\s*=\\s*\\(?\\s*((?:(?:"[^"\\n]*"|'[^'\\n]*')\\s*)+)`).exec(source);
    return m ? quoted(m[1]).join("") : undefined;
}

function unique(values: string[]): string[] {
    return [...new Set(values)].sort();
}

function checkovPython(repo: Repo, file: string): AnchorRule[] {
    const source = repo.read(file);
    const id = pythonString(source, "id");
    const title = pythonString(source, "name");
    if (!id || !title) return [];
    let targets: string[];
    if (file.includes("/kubernetes/")) {
        targets = quoted(source).filter((s) => KUBERNETES_KINDS.includes(s));
        if (/\(BaseK8s(Root)?ContainerCheck\)/.test(source)) targets.push("PodSpec");
        if (/\(BaseRbacK8sCheck\)/.test(source) && targets.length === 0) targets.push("Role", "ClusterRole");
        // Control-plane flag checks read the kube-apiserver Pod's command.
        if (targets.length === 0 && /kube-apiserver/.test(source)) targets.push("Pod");
    } else {
        const declared = /supported_resources\s*=\s*[[(]([^\])]*)[\])]/.exec(source);
        const pool = declared ? quoted(declared[1]) : quoted(source);
        targets = pool.filter((s) => /^aws_[a-z0-9_]+$/.test(s) || /^AWS::\w+::\w+$/.test(s));
        if (targets.length === 0) targets = quoted(source).filter((s) => /^aws_[a-z0-9_]+$/.test(s) || /^AWS::\w+::\w+$/.test(s));
        // Checks that inherit their resource types: read them from the base class's module.
        for (const m of targets.length === 0 ? source.matchAll(/^from\s+(checkov\.[\w.]+)\s+import/gm) : []) {
            const base = `${m[1].replace(/\./g, "/")}.py`;
            if (/\/[Bb]ase/.test(base))
                targets.push(...quoted(repo.read(base)).filter((s) => /^aws_[a-z0-9_]+$/.test(s) || /^AWS::\w+::\w+$/.test(s)));
        }
    }
    return [{ id, title, targets: unique(targets), path: file }];
}

function collectKey(node: unknown, key: string, out: string[]): void {
    if (Array.isArray(node)) node.forEach((n) => collectKey(n, key, out));
    else if (node !== null && typeof node === "object") {
        for (const [k, v] of Object.entries(node)) {
            if (k === key) out.push(...(Array.isArray(v) ? v : [v]).map(String));
            else collectKey(v, key, out);
        }
    }
}

function checkovGraph(repo: Repo, file: string): AnchorRule[] {
    const text = repo.read(file);
    const docs = YAML.parseAllDocuments(text);
    const doc = (docs[0]?.errors.length === 0 ? docs[0].toJS() : undefined) as
        { metadata?: { id?: string; name?: string }; definition?: unknown } | undefined;
    const targets: string[] = [];
    if (!doc) {
        // A few upstream files are not valid YAML (an unclosed quote in a free-text field): read the facts by line.
        const id = /^\s*id:\s*"?([\w-]+)"?/m.exec(text)?.[1];
        const name = /^\s*name:\s*"([^"\n]+)"/m.exec(text)?.[1];
        for (const m of text.matchAll(/resource_types:\s*\n((?:\s*-\s*.+\n)+)/g))
            targets.push(
                ...m[1]
                    .split("\n")
                    .map((l) =>
                        l
                            .replace(/^\s*-\s*/, "")
                            .replace(/["']/g, "")
                            .trim(),
                    )
                    .filter(Boolean),
            );
        return id && name ? [{ id, title: name, targets: unique(targets.filter((t) => t !== "all")), path: file }] : [];
    }
    if (!doc.metadata?.id || !doc.metadata.name) return [];
    collectKey(doc.definition, "resource_types", targets);
    return [{ id: doc.metadata.id, title: doc.metadata.name, targets: unique(targets.filter((t) => t !== "all")), path: file }];
}

function checkov(repo: Repo, src: AnchorSource): AnchorRule[] {
    const byId = new Map<string, AnchorRule>();
    for (const under of src.paths) {
        for (const file of repo.files(under)) {
            const rules =
                file.endsWith(".py") && !file.endsWith("__init__.py")
                    ? checkovPython(repo, file)
                    : /\.ya?ml$/.test(file)
                      ? checkovGraph(repo, file)
                      : [];
            for (const rule of rules) {
                const seen = byId.get(rule.id);
                // Terraform and CloudFormation variants of one check share its ID: keep one row with both targets.
                if (seen) seen.targets = unique([...seen.targets, ...rule.targets]);
                else byId.set(rule.id, rule);
            }
        }
    }
    return [...byId.values()];
}

function cdkNag(repo: Repo, src: AnchorSource): AnchorRule[] {
    const file = src.paths[0];
    const source = repo.read(file);
    const folderOf = new Map<string, string>();
    for (const m of source.matchAll(/import\s*\{([^}]*)\}\s*from\s*'\.\.\/rules\/([\w-]+)'/g)) {
        for (const name of m[1]
            .split(",")
            .map((n) => n.trim())
            .filter(Boolean))
            folderOf.set(name, m[2]);
    }
    const rules: AnchorRule[] = [];
    for (const m of source.matchAll(/this\.applyRule\(\{([\s\S]*?)\n\s*\}\);/g)) {
        const body = m[1];
        const suffix = /ruleSuffixOverride:\s*'([^']+)'/.exec(body)?.[1];
        const info = /info:\s*(?:\n\s*)?(['"`])([\s\S]*?)\1,/.exec(body)?.[2];
        const fn = /rule:\s*(\w+)/.exec(body)?.[1];
        if (!suffix || !info || !fn) throw new Error(`${file}: cannot read an applyRule call: ${body.slice(0, 120)}`);
        const folder = folderOf.get(fn);
        if (!folder) throw new Error(`${file}: rule ${fn} is not imported from ../rules/<service>`);
        const ruleFile = `src/rules/${folder}/${fn}.ts`;
        // The CloudFormation classes the rule tests (`Cfn<Type>` from aws-cdk-lib/<module>) are its targets.
        const targets: string[] = [];
        for (const im of repo.read(ruleFile).matchAll(/import\s*\{([^}]*)\}\s*from\s*'aws-cdk-lib\/([\w-]+)'/g)) {
            for (const cls of im[1]
                .split(",")
                .map((n) => n.trim().split(/\s+as\s+/)[0])
                .filter((n) => n.startsWith("Cfn")))
                targets.push(`cdk:${im[2]}:${cls}`);
        }
        rules.push({
            id: `AwsSolutions-${suffix}`,
            title: info.replace(/\s+/g, " ").trim(),
            targets: unique(targets.length > 0 ? targets : [`cdk:${folder}`]),
            path: ruleFile,
        });
    }
    return rules;
}

function headerField(source: string, field: string): string | undefined {
    const m = new RegExp(`^#\\s*${field}:\\s*\\n((?:#\\s{2,}.*\\n)+)`, "m").exec(source);
    return m?.[1]
        .split("\n")
        .map((l) => l.replace(/^#\s*/, "").trim())
        .filter(Boolean)
        .join(" ");
}

function awsGuard(repo: Repo, src: AnchorSource): AnchorRule[] {
    const rules: AnchorRule[] = [];
    for (const file of repo.files(src.paths[0]).filter((f) => f.endsWith(".guard"))) {
        const source = repo.read(file);
        // A handful of files carry only a placeholder header naming their AWS Config rule and no guard rule yet.
        if (!/^rule\s+\w+/m.test(source)) continue;
        const id = headerField(source, "Rule Identifier") ?? /^rule\s+(\w+)/m.exec(source)?.[1];
        const title = headerField(source, "Description");
        if (!id || !title) throw new Error(`${file}: no rule identifier or description in its header`);
        const reports = headerField(source, "Reports on") ?? "";
        const targets = unique(
            [...reports.matchAll(/AWS::\w+::\w+/g)]
                .map((x) => x[0])
                .concat([...source.matchAll(/Type\s*==\s*'(AWS::\w+::\w+)'/g)].map((x) => x[1])),
        );
        rules.push({ id: id.split(/\s+/)[0], title, targets, path: file });
    }
    return rules;
}

function pulumi(repo: Repo, src: AnchorSource): AnchorRule[] {
    const rules: AnchorRule[] = [];
    for (const file of repo
        .files(src.paths[0])
        .filter((f) => f.endsWith(".ts") && !f.endsWith("index.ts") && !f.includes("/tests/"))) {
        const source = repo.read(file);
        for (const m of source.matchAll(/name:\s*"([^"]+)",\s*\n\s*description:\s*"([^"]+)"/g)) {
            // vendor-*/<provider>/<module...>/<Resource>/<policy>.ts: the folder above the file names the resource.
            const parts = file.split("/");
            const target = `${parts[1]}:${parts.slice(2, -2).join("/")}:${parts[parts.length - 2]}`;
            rules.push({ id: m[1], title: m[2], targets: [target], path: file });
        }
    }
    return rules;
}

function kubeLinter(repo: Repo, src: AnchorSource): AnchorRule[] {
    return repo
        .files(src.paths[0])
        .filter((f) => /\.ya?ml$/.test(f))
        .map((file) => {
            const doc = YAML.parse(repo.read(file)) as { name: string; description: string; scope?: { objectKinds?: string[] } };
            return { id: doc.name, title: doc.description, targets: unique(doc.scope?.objectKinds ?? []), path: file };
        });
}

function polaris(repo: Repo, src: AnchorSource): AnchorRule[] {
    return repo
        .files(src.paths[0])
        .filter((f) => /\.ya?ml$/.test(f))
        .map((file) => {
            const doc = YAML.parse(repo.read(file)) as { successMessage?: string; failureMessage?: string; target?: string };
            const id = path.basename(file).replace(/\.ya?ml$/, "");
            const title = (doc.failureMessage ?? doc.successMessage ?? "").trim();
            if (title === "") throw new Error(`${file}: no failureMessage`);
            return { id, title, targets: [doc.target ?? "Container"], path: file };
        });
}

const EXTRACTORS: Record<string, (repo: Repo, src: AnchorSource) => AnchorRule[]> = {
    checkov: checkov,
    "cdk-nag": cdkNag,
    "aws-guard": awsGuard,
    "pulumi-aws": pulumi,
    "pulumi-kubernetes": pulumi,
    "kube-linter": kubeLinter,
    polaris: polaris,
};

/** Reads one source's rules from a git clone at the source's pinned ref (or `ref`, which the data then records). */
export function extract(sourceId: string, gitDir: string, ref?: string): AnchorData {
    const src = ANCHOR_SOURCES.find((s) => s.id === sourceId);
    if (!src)
        throw new Error(`unknown anchor source "${sourceId}"; expected one of ${ANCHOR_SOURCES.map((s) => s.id).join(", ")}`);
    const at = ref ?? src.ref;
    const repo = new Repo(gitDir, at);
    const byId = new Map<string, AnchorRule>();
    for (const rule of EXTRACTORS[src.id](repo, src)) {
        const seen = byId.get(rule.id);
        // An ID declared by two files (the guard registry has a few) is one rule: one row, both files' targets.
        if (seen) seen.targets = unique([...seen.targets, ...rule.targets]);
        else byId.set(rule.id, rule);
    }
    const rules = [...byId.values()].sort((a, b) => a.id.localeCompare(b.id, "en", { numeric: true }));
    return { source: src.id, repository: src.repository, ref: at, commit: repo.commit(), rules };
}

/** The committed rule list of a source. */
export function loadAnchorData(sourceId: string): AnchorData {
    return JSON.parse(fs.readFileSync(path.join(UPSTREAM_DIR, `${sourceId}.json`), "utf8")) as AnchorData;
}

if (require.main === module) {
    const arg = (name: string): string | undefined => {
        const i = process.argv.indexOf(`--${name}`);
        return i >= 0 ? process.argv[i + 1] : undefined;
    };
    const source = arg("source");
    const gitDir = arg("git");
    if (!source || !gitDir) {
        console.error(
            "usage: extract.ts --source <id> --git <clone of the source repository> [--ref <tag or commit, default: the pinned ref>]",
        );
        process.exit(2);
    }
    try {
        const data = extract(source, gitDir, arg("ref"));
        const out = path.join(UPSTREAM_DIR, `${source}.json`);
        fs.writeFileSync(out, `${JSON.stringify(data, null, 1)}\n`);
        console.log(`wrote ${out}: ${data.rules.length} rules at ${data.ref}`);
    } catch (err) {
        console.error(`extract.ts: ${(err as Error).message}`);
        process.exit(2);
    }
}
