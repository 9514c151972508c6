// Preloaded into the processes the protocol specs start (DEP-2): when the variable
// BOOKBUDDY_LOADED_MODULES names a file, every CommonJS module file the process loaded is written there as
// a JSON list when it exits (or is stopped with SIGTERM), so a spec can check which installed packages the
// program and the policy packs really use at run time.
"use strict";
const fs = require("node:fs");

const out = process.env.BOOKBUDDY_LOADED_MODULES;
if (out) {
    let written = false;
    const write = () => {
        if (written) return;
        written = true;
        fs.writeFileSync(out, JSON.stringify(Object.keys(require.cache)));
    };
    process.on("exit", write);
    process.once("SIGTERM", () => {
        write();
        process.exit(0);
    });
}
