/**
 * Production dependencies only (DEP-1, DEP-2): a deploy runner installs with `npm ci --omit=dev`, so every
 * package the program, the Lambda code it packages and the policy packs import at run time must be a
 * production dependency. Proven two ways:
 * - statically: the import graph from each entry (infra/, the rotation Lambda's sources, both packs), every
 *   value import, `require` and dynamic import, names no package outside "dependencies";
 * - at run time: every file the program (through the language host, all stacks) and the served packs loaded
 *   from node_modules belongs to a package `npm ci --omit=dev` installs (not marked `dev` in
 *   package-lock.json), or is an optional peer a production package can do without.
 */
import { strict as assert } from "assert";
import * as fs from "fs";
import { builtinModules } from "module";
import * as path from "path";
import * as ts from "typescript";
import { REPO_ROOT, STACKS } from "../support/plan";
import { PACKS, languageHostRun, packModules } from "./runs";

const manifest = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "package.json"), "utf8")) as {
    dependencies: Record<string, string>;
    devDependencies: Record<string, string>;
};
const lock = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "package-lock.json"), "utf8")) as {
    packages: Record<
        string,
        {
            dev?: boolean;
            dependencies?: Record<string, string>;
            optionalDependencies?: Record<string, string>;
            peerDependenciesMeta?: Record<string, { optional?: boolean }>;
        }
    >;
};

/** Packages the Lambda runtime provides (nodejs22.x ships the AWS SDK v3); lambdas/rotation/archive.ts. */
const LAMBDA_RUNTIME_PROVIDED = /^@aws-sdk\//;

/** The package a module specifier names (`@scope/name` or `name`), or undefined for relative/builtin ones. */
export function packageOf(specifier: string): string | undefined {
    if (specifier.startsWith(".") || path.isAbsolute(specifier)) return undefined;
    if (specifier.startsWith("node:") || builtinModules.includes(specifier.split("/")[0])) return undefined;
    const parts = specifier.split("/");
    return specifier.startsWith("@") ? parts.slice(0, 2).join("/") : parts[0];
}

/** Module specifiers a file uses at run time: value imports and re-exports, `require(...)`, `import(...)`. */
export function runtimeSpecifiers(file: string, text = fs.readFileSync(file, "utf8")): string[] {
    const source = ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, true);
    const found: string[] = [];
    const visit = (node: ts.Node): void => {
        if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
            const clause = node.importClause;
            const typeOnly =
                clause?.isTypeOnly === true ||
                (clause !== undefined &&
                    !clause.name &&
                    clause.namedBindings !== undefined &&
                    ts.isNamedImports(clause.namedBindings) &&
                    clause.namedBindings.elements.length > 0 &&
                    clause.namedBindings.elements.every((e) => e.isTypeOnly));
            if (!typeOnly) found.push(node.moduleSpecifier.text);
        } else if (ts.isExportDeclaration(node) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
            const typeOnly =
                node.isTypeOnly ||
                (node.exportClause !== undefined &&
                    ts.isNamedExports(node.exportClause) &&
                    node.exportClause.elements.every((e) => e.isTypeOnly));
            if (!typeOnly) found.push(node.moduleSpecifier.text);
        } else if (
            ts.isImportEqualsDeclaration(node) &&
            ts.isExternalModuleReference(node.moduleReference) &&
            ts.isStringLiteral(node.moduleReference.expression)
        ) {
            if (!node.isTypeOnly) found.push(node.moduleReference.expression.text);
        } else if (ts.isCallExpression(node) && node.arguments.length > 0 && ts.isStringLiteralLike(node.arguments[0])) {
            const callee = node.expression;
            const isRequire = ts.isIdentifier(callee) && callee.text === "require";
            const isResolve =
                ts.isPropertyAccessExpression(callee) &&
                ts.isIdentifier(callee.expression) &&
                callee.expression.text === "require" &&
                callee.name.text === "resolve";
            if (isRequire || isResolve || callee.kind === ts.SyntaxKind.ImportKeyword) found.push(node.arguments[0].text);
        }
        ts.forEachChild(node, visit);
    };
    visit(source);
    return found;
}

function resolveLocal(from: string, specifier: string): string | undefined {
    const base = path.resolve(path.dirname(from), specifier);
    for (const candidate of [
        base,
        `${base}.ts`,
        `${base}.js`,
        `${base}.json`,
        path.join(base, "index.ts"),
        path.join(base, "index.js"),
    ]) {
        if (fs.existsSync(candidate) && fs.statSync(candidate).isFile()) return candidate;
    }
    return undefined;
}

/** External packages reachable from entry files through local imports, with the file that imports each. */
export function externalImports(entries: string[]): Map<string, string> {
    const seen = new Set<string>();
    const packages = new Map<string, string>();
    const queue = [...entries];
    while (queue.length > 0) {
        const file = queue.pop()!;
        if (seen.has(file)) continue;
        seen.add(file);
        if (!/\.(ts|js|cjs|mjs)$/.test(file)) continue;
        for (const specifier of runtimeSpecifiers(file)) {
            const pkg = packageOf(specifier);
            if (pkg) {
                if (!packages.has(pkg)) packages.set(pkg, path.relative(REPO_ROOT, file));
                continue;
            }
            if (!specifier.startsWith(".")) continue;
            const local = resolveLocal(file, specifier);
            assert.ok(local, `${path.relative(REPO_ROOT, file)}: cannot resolve ${specifier}`);
            queue.push(local);
        }
    }
    return packages;
}

/** Installed package of a node_modules file: its path key in package-lock.json (`node_modules/a/node_modules/b`). */
export function lockKeyOf(file: string): string | undefined {
    const rel = path.relative(REPO_ROOT, file).split(path.sep).join("/");
    const match = /^((?:node_modules\/(?:@[^/]+\/)?[^/]+\/)*node_modules\/(?:@[^/]+\/)?[^/]+)\//.exec(rel);
    return match?.[1];
}

/** Lock keys of a package and everything it depends on (how npm resolves each name from its folder). */
function closure(start: string): Set<string> {
    const result = new Set<string>();
    const queue = [start];
    while (queue.length > 0) {
        const key = queue.pop()!;
        if (result.has(key) || !lock.packages[key]) continue;
        result.add(key);
        const entry = lock.packages[key];
        for (const dep of Object.keys({ ...entry.dependencies, ...entry.optionalDependencies })) {
            let dir = key;
            for (;;) {
                const candidate = `${dir}/node_modules/${dep}`;
                if (lock.packages[candidate]) {
                    queue.push(candidate);
                    break;
                }
                const up = dir.lastIndexOf("/node_modules/");
                if (up < 0) {
                    if (lock.packages[`node_modules/${dep}`]) queue.push(`node_modules/${dep}`);
                    break;
                }
                dir = dir.slice(0, up);
            }
        }
    }
    return result;
}

/**
 * Optional peers of production packages (`peerDependenciesMeta.<name>.optional`), with what they need: a
 * production package tries to load them and does without when absent (debug's `supports-color`).
 */
function optionalPeersOfProduction(): string[] {
    const peers = new Set<string>();
    for (const entry of Object.values(lock.packages)) {
        if (entry.dev === true) continue;
        for (const [name, meta] of Object.entries(entry.peerDependenciesMeta ?? {})) if (meta.optional === true) peers.add(name);
    }
    return [...peers];
}

/**
 * Packages `npm ci --omit=dev` leaves out that a process loaded, except optional peers of production packages.
 */
function devOnlyLoaded(files: string[]): string[] {
    const excused = new Set(optionalPeersOfProduction().flatMap((t) => [...closure(`node_modules/${t}`)]));
    const missing = new Set<string>();
    for (const file of files) {
        const key = lockKeyOf(file);
        if (!key || excused.has(key)) continue;
        const entry = lock.packages[key];
        assert.ok(entry, `${file}: not in package-lock.json`);
        if (entry.dev === true) missing.add(key.replace(/^.*node_modules\//, ""));
    }
    return [...missing].sort();
}

describe("production dependencies only: what the program and the packs load is installed by npm ci --omit=dev (DEP-1)", function () {
    this.timeout(600_000);

    it("reads specifiers the way the loaders do (value imports, re-exports, require, import(); types ignored)", () => {
        const text = [
            `import * as a from "alpha";`,
            `import type { B } from "beta";`,
            `import { type C } from "gamma";`,
            `import { type D, e } from "delta/sub";`,
            `export { f } from "@scope/phi/deep";`,
            `export type { G } from "eta";`,
            `const h = require("theta");`,
            `const i = require.resolve("iota/package.json");`,
            `const j = import("kappa");`,
            `import * as fs from "node:fs";`,
            `import * as os from "os";`,
            `import { local } from "./local";`,
        ].join("\n");
        const specifiers = runtimeSpecifiers("x.ts", text);
        assert.deepEqual(specifiers, [
            "alpha",
            "delta/sub",
            "@scope/phi/deep",
            "theta",
            "iota/package.json",
            "kappa",
            "node:fs",
            "os",
            "./local",
        ]);
        assert.deepEqual(specifiers.map(packageOf).filter(Boolean), ["alpha", "delta", "@scope/phi", "theta", "iota", "kappa"]);
    });

    it("imports from the program, the packaged Lambda and both packs only production dependencies", () => {
        const program = externalImports([path.join(REPO_ROOT, "infra", "index.ts")]);
        const lambda = externalImports([path.join(REPO_ROOT, "lambdas", "rotation", "src", "index.ts")]);
        const packs = externalImports(PACKS.map((p) => path.join(REPO_ROOT, "policies", p, "index.ts")));
        assert.ok(program.has("@pulumi/pulumi") && program.has("@pulumi/aws"), [...program.keys()].join(", "));
        assert.ok(packs.has("@pulumi/policy"));
        const notProduction: string[] = [];
        for (const [what, found] of [
            ["program", program],
            ["rotation Lambda", lambda],
            ["policy packs", packs],
        ] as const) {
            for (const [pkg, file] of found) {
                if (what === "rotation Lambda" && LAMBDA_RUNTIME_PROVIDED.test(pkg)) continue;
                if (!(pkg in manifest.dependencies)) notProduction.push(`${pkg} (imported by ${file}; ${what})`);
            }
        }
        assert.deepEqual(notProduction, [], 'move these to "dependencies" in package.json');
    });

    it("bundles only production packages into the rotation Lambda", async () => {
        const { BUNDLED_PACKAGES } = await import("../../lambdas/rotation/archive");
        for (const pkg of BUNDLED_PACKAGES)
            assert.ok(pkg in manifest.dependencies, `${pkg} is bundled into the Lambda but not a production dependency`);
    });

    for (const stack of STACKS) {
        it(`${stack}: the program run through the language host loads no package that --omit=dev leaves out`, async () => {
            const run = await languageHostRun(stack);
            assert.equal(run.code, 0, run.stderr.slice(-2000));
            assert.ok(
                run.child.modules.some((f) => f.includes(`${path.sep}@pulumi${path.sep}aws${path.sep}`)),
                "the module list was recorded",
            );
            // The program's TypeScript loader (tools/ts-loader.cjs, Pulumi.yaml's nodeargs) and its sucrase included.
            assert.deepEqual(devOnlyLoaded(run.child.modules), []);
        });
    }

    for (const pack of PACKS) {
        it(`${pack} pack served by run-policy-pack loads no package that --omit=dev leaves out`, async () => {
            const modules = await packModules(pack);
            assert.ok(
                modules.some((f) => f.includes(`${path.sep}@pulumi${path.sep}policy${path.sep}`)),
                "the module list was recorded",
            );
            assert.deepEqual(devOnlyLoaded(modules), []);
        });
    }

    it("finds a dev-only package when one is loaded (the check can fail)", () => {
        const excused = new Set(optionalPeersOfProduction());
        const devOnly = Object.keys(manifest.devDependencies).find(
            (d) => lock.packages[`node_modules/${d}`]?.dev === true && !excused.has(d),
        );
        assert.ok(devOnly, "some devDependency is dev-only in the lock");
        assert.deepEqual(devOnlyLoaded([path.join(REPO_ROOT, "node_modules", devOnly, "index.js")]), [devOnly]);
    });
});
