// TypeScript loader of the preview commands (node -r ./tools/ts-loader.cjs): SWC strips the types of each .ts
// file as it is required and the result is kept on disk by a hash of the file, so a repeated preview compiles
// only what changed. It does no type checking: `npm run typecheck` (tsc --noEmit) does that. The tests keep
// ts-node (with SWC as its transpiler); this loader exists because the preview runs on every save and in
// every pull request, and ts-node's start-up was a fifth of its time (measured by npm run bench).
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
let swc;
let salt;

function transpile(source, filename) {
    swc ??= require("@swc/core");
    salt ??= `${require("@swc/core/package.json").version}|es2022|commonjs|v1`;
    const key = crypto.createHash("sha256").update(salt).update(filename).update("\0").update(source).digest("hex");
    const cached = path.join(CACHE_DIR, `${key}.js`);
    try {
        return fs.readFileSync(cached, "utf8");
    } catch {
        // Not cached yet.
    }
    const { code } = swc.transformSync(source, {
        filename,
        swcrc: false,
        configFile: false,
        sourceMaps: "inline",
        jsc: { parser: { syntax: "typescript" }, target: "es2022" },
        module: { type: "commonjs" },
    });
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
