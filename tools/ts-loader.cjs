// TypeScript loader of the preview commands (node -r ./tools/ts-loader.cjs): Sucrase (pure JavaScript, keeps
// line numbers) strips the types of each .ts file as it is required and the result is kept on disk by a hash
// of the file, so a repeated preview compiles only what changed. It does no type checking: `npm run typecheck`
// (tsc --noEmit) does that. The preview runs on every save and in every pull request, and ts-node's start-up and
// transpiling were a third of its time (npm run bench); the test suite loads specs through it too (.mocharc.json,
// QA-2): each parallel worker then skips loading the TypeScript compiler and re-transpiling every file.
// Under coverage (NODE_V8_COVERAGE set, as c8 sets it) files are transpiled by TypeScript's transpileModule
// with an inline source map instead, so c8 reports lines of the .ts file itself, counted as under ts-node.
"use strict";
const crypto = require("node:crypto");
const fs = require("node:fs");
const path = require("node:path");
const Module = require("node:module");

// Compiled code of every module (ours and node_modules) is cached by V8 too, where Node supports it.
if (typeof Module.enableCompileCache === "function" && process.env.NODE_COMPILE_CACHE === undefined) {
    Module.enableCompileCache(path.join(__dirname, "..", "node_modules", ".cache", "v8-compile"));
}

const CACHE_DIR = path.join(__dirname, "..", "node_modules", ".cache", "bookbuddy-ts");
let sucrase;
let salt;
let typescript;
const withSourceMap = Boolean(process.env.NODE_V8_COVERAGE);

function transpile(source, filename) {
    salt ??= withSourceMap
        ? `typescript@${require("typescript/package.json").version}|commonjs,es2022,inline-map|v1`
        : `sucrase@${require("sucrase/package.json").version}|typescript,imports|v1`;
    const key = crypto.createHash("sha256").update(salt).update(filename).update("\0").update(source).digest("hex");
    const cached = path.join(CACHE_DIR, `${key}.js`);
    try {
        return fs.readFileSync(cached, "utf8");
    } catch {
        // Not cached yet.
    }
    let code;
    if (withSourceMap) {
        // The compiler's own transpile (what ts-node's transpile-only mode runs) with an inline source map: c8
        // then counts lines exactly as it did when the tests ran under ts-node.
        typescript ??= require("typescript");
        code = typescript.transpileModule(source, {
            fileName: filename,
            compilerOptions: {
                module: typescript.ModuleKind.CommonJS,
                target: typescript.ScriptTarget.ES2022,
                esModuleInterop: true,
                inlineSourceMap: true,
                inlineSources: true,
            },
        }).outputText;
    } else {
        // Loaded only on a cache miss: most runs find every file cached and never load the compiler.
        sucrase ??= require("sucrase");
        code = sucrase.transform(source, { transforms: ["typescript", "imports"], filePath: filename }).code;
    }
    try {
        fs.mkdirSync(CACHE_DIR, { recursive: true });
        fs.writeFileSync(`${cached}.${process.pid}`, code);
        fs.renameSync(`${cached}.${process.pid}`, cached);
    } catch {
        // A read-only tree only loses the cache.
    }
    return code;
}

require.extensions[".ts"] = function loadTypeScript(module, filename) {
    module._compile(transpile(fs.readFileSync(filename, "utf8"), filename), filename);
};
