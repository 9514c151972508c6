// Preloaded into the processes the protocol specs start (DEP-1, DEP-2), through NODE_OPTIONS so the command
// line stays exactly what the Pulumi CLI would run: when BOOKBUDDY_CHILD_RECORD names a file, the process
// writes there, as JSON, how it was started (working directory, node arguments and program arguments before
// the entry changes them, and whether ts-node was told to skip files) and, when it exits or is stopped with
// SIGTERM, every CommonJS module file it loaded. A spec can then check that the child ran as the CLI starts it
// and which installed packages the program and the policy packs really use at run time.
"use strict";
const fs = require("node:fs");

const out = process.env.BOOKBUDDY_CHILD_RECORD;
if (out) {
    const started = {
        cwd: process.cwd(),
        execArgv: [...process.execArgv],
        argv: process.argv.slice(2),
        tsNodeIgnore: process.env.TS_NODE_IGNORE ?? null,
        typescript: process.env.PULUMI_NODEJS_TYPESCRIPT ?? null,
    };
    let written = false;
    const write = () => {
        if (written) return;
        written = true;
        fs.writeFileSync(out, JSON.stringify({ ...started, modules: Object.keys(require.cache) }));
    };
    process.on("exit", write);
    process.once("SIGTERM", () => {
        write();
        process.exit(0);
    });
}
