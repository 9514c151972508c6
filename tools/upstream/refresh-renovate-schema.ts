/**
 * Refreshes the Renovate configuration facts (CI-1, UP-1) from the published `renovate` npm package: its JSON
 * schema of the configuration (without descriptions) and the datasource and versioning names that version knows.
 *
 *   npm pack renovate@44.121.2 --pack-destination /tmp
 *   node -r ./tools/ts-loader.cjs tools/upstream/refresh-renovate-schema.ts --tarball /tmp/renovate-44.121.2.tgz
 *
 * Writes tests/upstream/renovate/renovate-schema.json (`--out-dir` writes elsewhere). Exit 2 with one message on
 * bad input.
 */
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parseArgs } from "util";

const DATA_DIR = path.resolve(__dirname, "..", "..", "tests", "upstream", "renovate");

function fail(message: string): never {
    process.stderr.write(`refresh-renovate-schema: ${message}\n`);
    process.exit(2);
}

/** A JSON schema without its prose; a property named like a prose keyword is kept. */
function stripProse(node: unknown, inProperties = false): unknown {
    if (Array.isArray(node)) return node.map((n) => stripProse(n));
    if (node === null || typeof node !== "object") return node;
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(node as Record<string, unknown>)) {
        if (!inProperties && (key === "description" || key === "markdownDescription")) continue;
        out[key] = stripProse(value, !inProperties && (key === "properties" || key === "definitions"));
    }
    return out;
}

function main(): void {
    let opts;
    try {
        opts = parseArgs({ options: { tarball: { type: "string" }, "out-dir": { type: "string" } }, strict: true }).values;
    } catch (e) {
        fail((e as Error).message);
    }
    if (!opts.tarball) fail("--tarball is required (npm pack renovate@<version>)");
    if (!fs.existsSync(opts.tarball)) fail(`--tarball ${opts.tarball}: no such file`);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "renovate-"));
    try {
        try {
            execFileSync("tar", ["-xzf", opts.tarball, "-C", dir, "package/package.json", "package/renovate-schema.json"], {
                stdio: ["ignore", "ignore", "pipe"],
            });
        } catch {
            fail(`--tarball ${opts.tarball}: not a renovate package tarball (no package/renovate-schema.json)`);
        }
        const listing = execFileSync("tar", ["-tzf", opts.tarball], { encoding: "utf8", maxBuffer: 64 * 1024 * 1024 }).split(
            "\n",
        );
        const pkg = JSON.parse(fs.readFileSync(path.join(dir, "package", "package.json"), "utf8"));
        if (pkg.name !== "renovate") fail(`--tarball ${opts.tarball}: package ${pkg.name}, expected renovate`);
        const schema = JSON.parse(fs.readFileSync(path.join(dir, "package", "renovate-schema.json"), "utf8"));
        const modules = (kind: string) =>
            listing
                .map((f) => new RegExp(`^package/dist/modules/${kind}/([^/]+)/index\\.js$`).exec(f)?.[1])
                .filter((x): x is string => !!x)
                .sort();
        const data = {
            source: {
                project: "renovatebot/renovate",
                package: `renovate@${pkg.version}`,
                file: "renovate-schema.json (descriptions stripped); datasource and versioning names from dist/modules/{datasource,versioning}/<name>/",
                version: pkg.version,
                url: `https://registry.npmjs.org/renovate/-/renovate-${pkg.version}.tgz`,
            },
            datasources: modules("datasource"),
            versionings: modules("versioning"),
            managers: modules("manager"),
            schema: stripProse(schema),
        };
        if (!data.datasources.length || !data.versionings.length || !data.managers.length)
            fail(`--tarball ${opts.tarball}: no dist/modules listing`);
        const out = opts["out-dir"] ?? DATA_DIR;
        fs.mkdirSync(out, { recursive: true });
        fs.writeFileSync(path.join(out, "renovate-schema.json"), JSON.stringify(data) + "\n");
        process.stdout.write(
            `${path.join(out, "renovate-schema.json")}: renovate ${pkg.version}, ${data.datasources.length} datasources, ${data.versionings.length} versionings, ${data.managers.length} managers\n`,
        );
    } finally {
        fs.rmSync(dir, { recursive: true, force: true });
    }
}

main();
