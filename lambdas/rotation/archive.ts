/**
 * Packaging of the secret-rotation Lambda function (SEC-1, SEC-4).
 *
 * Lambda runs JavaScript, so when the Pulumi program runs, the handler's TypeScript sources are
 * transpiled with the compiler API (ES2022, CommonJS) into in-memory assets, and the runtime dependency
 * closure of `pg` is added from node_modules. The AWS SDK v3 clients are provided by the nodejs22.x
 * runtime and are not bundled. The function's IAM needs per kind are re-exported from permissions.ts.
 */
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import type * as TypeScript from "typescript";

export { ROTATION_ACTIONS, rotationPermissions, type RotationPermission, type RotationResource } from "./permissions";
export { ROTATION_KINDS, type RotationKind } from "./src/secret";

/** The function's handler setting (file index.js, export handler). */
export const ROTATION_HANDLER = "index.handler";
/** The Lambda runtime the code is built for. */
export const ROTATION_RUNTIME = "nodejs22.x";
/** Packages the handler imports that the runtime does not provide. */
export const BUNDLED_PACKAGES = ["pg"] as const;
/** Package scope provided by the runtime (AWS SDK for JavaScript v3), never bundled. */
export const RUNTIME_PROVIDED_SCOPE = "@aws-sdk/";

/** Folder of the handler's TypeScript sources. */
export const ROTATION_SOURCE_DIR = path.join(__dirname, "src");

function listSources(dir: string, prefix = ""): string[] {
    const out: string[] = [];
    for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
        const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
        if (entry.isDirectory()) out.push(...listSources(path.join(dir, entry.name), rel));
        else if (entry.name.endsWith(".ts") && !entry.name.endsWith(".d.ts")) out.push(rel);
    }
    return out;
}

/** Where transpiled output is cached between runs, keyed by a hash of the sources and the compiler version. */
export const TRANSPILE_CACHE_DIR = path.resolve(__dirname, "..", "..", "node_modules", ".cache", "bookbuddy-rotation");
const memo = new Map<string, Record<string, string>>();

/**
 * Transpiles every source file; keys are archive paths (`index.js`, `kinds/postgres.js`, ...).
 * Loading the compiler and transpiling dominated the offline preview's time, so the result is kept in
 * memory and on disk under a hash of every source file and the compiler version: same input, same output.
 */
export function transpileRotationSources(sourceDir: string = ROTATION_SOURCE_DIR): Record<string, string> {
    const files = listSources(sourceDir);
    if (!files.includes("index.ts")) throw new Error(`rotation function sources: no index.ts in ${sourceDir}`);
    const hash = createHash("sha256");
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- the version is part of the cache key
    hash.update(`typescript@${require("typescript/package.json").version}\n`);
    const sources = files.map((rel) => [rel, fs.readFileSync(path.join(sourceDir, rel), "utf8")] as const);
    for (const [rel, text] of sources) hash.update(`${rel}\n${text.length}\n${text}`);
    const key = hash.digest("hex");
    const cached = memo.get(key) ?? readCache(key);
    if (cached) {
        memo.set(key, cached);
        return { ...cached };
    }
    const out = transpileAll(sources);
    memo.set(key, out);
    writeCache(key, out);
    return { ...out };
}

function readCache(key: string): Record<string, string> | undefined {
    try {
        return JSON.parse(fs.readFileSync(path.join(TRANSPILE_CACHE_DIR, `${key}.json`), "utf8"));
    } catch {
        return undefined;
    }
}

function writeCache(key: string, out: Record<string, string>): void {
    try {
        fs.mkdirSync(TRANSPILE_CACHE_DIR, { recursive: true });
        const file = path.join(TRANSPILE_CACHE_DIR, `${key}.json`);
        fs.writeFileSync(`${file}.${process.pid}`, JSON.stringify(out));
        fs.renameSync(`${file}.${process.pid}`, file);
    } catch {
        // A read-only tree only loses the cache, never the result.
    }
}

function transpileAll(sources: readonly (readonly [string, string])[]): Record<string, string> {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded only when the cache misses
    const ts: typeof TypeScript = require("typescript");
    const out: Record<string, string> = {};
    for (const [rel, text] of sources) {
        const result = ts.transpileModule(text, {
            fileName: rel,
            reportDiagnostics: true,
            compilerOptions: {
                target: ts.ScriptTarget.ES2022,
                module: ts.ModuleKind.CommonJS,
                esModuleInterop: true,
                strict: true,
            },
        });
        const errors = (result.diagnostics ?? []).filter((d) => d.category === ts.DiagnosticCategory.Error);
        if (errors.length > 0) {
            const text = errors.map((d) => ts.flattenDiagnosticMessageText(d.messageText, "\n")).join("; ");
            throw new Error(`rotation function sources: ${rel} does not transpile: ${text}`);
        }
        out[rel.replace(/\.ts$/, ".js")] = result.outputText;
    }
    return out;
}

interface PackageJson {
    name?: string;
    dependencies?: Record<string, string>;
    optionalDependencies?: Record<string, string>;
}

function readPackageJson(dir: string): PackageJson {
    return JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8")) as PackageJson;
}

/** The folder of package `name` as Node would resolve it from `fromDir`, or undefined when absent. */
function resolvePackageDir(name: string, fromDir: string): string | undefined {
    try {
        return fs.realpathSync(path.dirname(require.resolve(`${name}/package.json`, { paths: [fromDir] })));
    } catch {
        // The package's "exports" may hide package.json: resolve its entry point and walk up.
    }
    let entry: string;
    try {
        entry = require.resolve(name, { paths: [fromDir] });
    } catch {
        return undefined;
    }
    for (let dir = path.dirname(entry); dir !== path.dirname(dir); dir = path.dirname(dir)) {
        if (fs.existsSync(path.join(dir, "package.json")) && readPackageJson(dir).name === name) return fs.realpathSync(dir);
    }
    return undefined;
}

/**
 * The runtime dependency closure of `roots` (package.json `dependencies`, and `optionalDependencies`
 * when installed), as archive path (`node_modules/...`) → package folder. Packages nested inside another
 * package of the closure travel with it. AWS SDK v3 packages are left to the runtime.
 */
export function runtimeDependencyFolders(
    roots: readonly string[] = BUNDLED_PACKAGES,
    fromDir: string = __dirname,
): Record<string, string> {
    const found = new Map<string, string>(); // folder -> name
    const queue: { name: string; from: string; optional: boolean }[] = roots.map((name) => ({
        name,
        from: fromDir,
        optional: false,
    }));
    while (queue.length > 0) {
        const { name, from, optional } = queue.shift()!;
        if (name.startsWith(RUNTIME_PROVIDED_SCOPE)) continue;
        const dir = resolvePackageDir(name, from);
        if (!dir) {
            if (optional) continue;
            throw new Error(`rotation function packaging: cannot resolve ${name} from ${from}; run npm ci`);
        }
        if (found.has(dir)) continue;
        found.set(dir, name);
        const pkg = readPackageJson(dir);
        for (const dep of Object.keys(pkg.dependencies ?? {})) queue.push({ name: dep, from: dir, optional: false });
        for (const dep of Object.keys(pkg.optionalDependencies ?? {})) queue.push({ name: dep, from: dir, optional: true });
    }
    const out: Record<string, string> = {};
    const folders = [...found.keys()];
    for (const dir of folders) {
        if (folders.some((other) => other !== dir && dir.startsWith(other + path.sep))) continue;
        // Top-level packages sit directly under node_modules/ (scoped ones keep their scope folder).
        const key = `node_modules/${found.get(dir)!}`;
        if (out[key]) throw new Error(`rotation function packaging: two copies of ${key} (${out[key]} and ${dir})`);
        out[key] = dir;
    }
    return out;
}

/**
 * The function's deployment package: transpiled handler sources as StringAssets at the archive root
 * and each runtime dependency folder as a FileArchive under node_modules/.
 */
export function rotationLambdaArchive(): pulumi.asset.AssetArchive {
    const assets: Record<string, pulumi.asset.Asset | pulumi.asset.Archive> = {};
    for (const [file, code] of Object.entries(transpileRotationSources())) assets[file] = new pulumi.asset.StringAsset(code);
    for (const [archivePath, dir] of Object.entries(runtimeDependencyFolders()))
        assets[archivePath] = new pulumi.asset.FileArchive(dir);
    return new pulumi.asset.AssetArchive(assets);
}
