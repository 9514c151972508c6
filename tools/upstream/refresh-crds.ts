/**
 * Refreshes the CRD schema data of one operator (UP-1) from a clone of its upstream repository at the tag of a
 * chart version:
 *
 *   git clone --bare https://github.com/elastic/cloud-on-k8s /tmp/cloud-on-k8s
 *   node -r ./tools/ts-loader.cjs tools/upstream/refresh-crds.ts --operator eck --version 3.2.0 --git /tmp/cloud-on-k8s
 *
 * Reads tests/upstream/crds/<operator>/source.json (repository, tag format, CRD files, kinds kept), takes each CRD
 * file with `git show <tag>:<file>`, keeps per kind the served versions' openAPIV3Schema without descriptions, and
 * rewrites the kind files and source.json (chart version, tag, commit). `--kind Name` adds a kind to those kept
 * (a new kind the program renders); `--crd-file path` replaces the list of CRD files (a file moved upstream).
 * `--out-dir` writes elsewhere. Exit 2 with one message on bad input.
 */
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { parseArgs } from "util";
import { canonicalJson, CrdData, crdData, crdDocuments, CrdSource, kindFile, tagOf } from "./crds";

const DATA_DIR = path.resolve(__dirname, "..", "..", "tests", "upstream", "crds");

function fail(message: string): never {
    process.stderr.write(`refresh-crds: ${message}\n`);
    process.exit(2);
}

function git(dir: string, args: string[], what: string): string {
    try {
        return execFileSync("git", ["-C", dir, ...args], {
            encoding: "utf8",
            maxBuffer: 256 * 1024 * 1024,
            stdio: ["ignore", "pipe", "pipe"],
        });
    } catch {
        fail(`--git ${dir}: ${what}`);
    }
}

function main(): void {
    let opts;
    try {
        opts = parseArgs({
            options: {
                operator: { type: "string" },
                version: { type: "string" },
                git: { type: "string" },
                kind: { type: "string", multiple: true },
                "crd-file": { type: "string", multiple: true },
                "out-dir": { type: "string" },
            },
            strict: true,
        }).values;
    } catch (e) {
        fail((e as Error).message);
    }
    for (const k of ["operator", "version", "git"] as const) if (!opts[k]) fail(`--${k} is required`);
    if (!/^[a-z0-9-]+$/.test(opts.operator!))
        fail(`--operator ${opts.operator}: expected a folder name of tests/upstream/crds such as "eck"`);
    if (!/^\d+\.\d+\.\d+$/.test(opts.version!)) fail(`--version ${opts.version}: expected a chart version such as "1.2.3"`);
    const sourceFile = path.join(DATA_DIR, opts.operator!, "source.json");
    if (!fs.existsSync(sourceFile)) fail(`--operator ${opts.operator}: no ${path.relative(process.cwd(), sourceFile)}`);
    if (!fs.existsSync(opts.git!)) fail(`--git ${opts.git}: no such directory`);
    const source = JSON.parse(fs.readFileSync(sourceFile, "utf8")) as CrdSource;
    const tag = tagOf(source, opts.version!);
    const commit = git(
        opts.git!,
        ["rev-parse", "--verify", `${tag}^{commit}`],
        `no tag ${tag} (fetch the tags of ${source.repository})`,
    ).trim();
    const crdFiles = opts["crd-file"] ?? source.crdFiles;
    const wanted = new Set([...Object.keys(source.kinds), ...(opts.kind ?? [])]);

    const found = new Map<string, CrdData>();
    for (const file of crdFiles) {
        const text = git(opts.git!, ["show", `${tag}:${file}`], `no ${file} at ${tag}`);
        let docs;
        try {
            docs = crdDocuments(text);
        } catch (e) {
            fail(`${file} at ${tag}: not YAML (${(e as Error).message.split("\n")[0]})`);
        }
        const url = `${source.repository}/blob/${tag}/${file}`;
        for (const doc of docs) {
            const kind = doc.spec?.names?.kind;
            if (!wanted.has(kind)) continue;
            found.set(kind, crdData(doc, { project: source.project, repository: source.repository, file, tag, commit, url }));
        }
    }
    const missing = [...wanted].filter((k) => !found.has(k));
    if (missing.length) fail(`${missing.join(", ")}: no CustomResourceDefinition in ${crdFiles.join(", ")} at ${tag}`);

    const dir = opts["out-dir"] ?? path.dirname(sourceFile);
    fs.mkdirSync(dir, { recursive: true });
    const kinds: Record<string, string> = {};
    for (const [kind, data] of [...found].sort(([a], [b]) => a.localeCompare(b))) {
        kinds[kind] = kindFile(kind);
        fs.writeFileSync(path.join(dir, kinds[kind]), canonicalJson(data) + "\n");
    }
    const updated: CrdSource = { ...source, chartVersion: opts.version!, tag, commit, crdFiles, kinds };
    fs.writeFileSync(path.join(dir, "source.json"), JSON.stringify(updated, null, 2) + "\n");
    process.stdout.write(
        `${dir}: ${found.size} kinds (${[...found.keys()].join(", ")}) from ${source.repository} ${tag} (${commit.slice(0, 12)})\n`,
    );
}

main();
