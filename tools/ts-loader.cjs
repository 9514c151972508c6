// TypeScript loader of the preview commands (node -r ./tools/ts-loader.cjs): Sucrase (pure JavaScript, keeps
// line numbers) strips the types of each .ts file as it is required and the result is kept on disk by a hash
// of the file, so a repeated preview compiles only what changed. It does no type checking: `npm run typecheck`
// (tsc --noEmit) does that. The tests keep ts-node; this loader exists because the preview runs on every save
// and in every pull request, and ts-node's start-up and transpiling were a third of its time (npm run bench).
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

function transpile(source, filename) {
    sucrase ??= require("sucrase");
    salt ??= `sucrase@${require("sucrase/package.json").version}|typescript,imports|v1`;
    const key = crypto.createHash("sha256").update(salt).update(filename).update("\0").update(source).digest("hex");
    const cached = path.join(CACHE_DIR, `${key}.js`);
    try {
        return fs.readFileSync(cached, "utf8");
    } catch {
        // Not cached yet.
    }
    const { code } = sucrase.transform(source, { transforms: ["typescript", "imports"], filePath: filename });
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
