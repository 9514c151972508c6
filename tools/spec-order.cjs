// The spec files of `npm test` and `npm run coverage`, in the order mocha hands them to its parallel workers (QA-2).
// Mocha runs files in the order given and a worker takes the next file when it finishes one, so the whole run
// lasts at least as long as the file started last takes. The files measured slowest (wall time, one file alone,
// `node_modules/.bin/mocha --no-parallel <file>`) start first; every other spec file follows in path order. A
// listed file that no longer exists is an error, so the list cannot silently go stale
// (tests/architecture/spec-order.spec.ts).
"use strict";
const fs = require("node:fs");
const path = require("node:path");

const ROOT = path.join(__dirname, "..");

/** Slowest first, by wall time of each file alone on a 2-core machine (measured when the list was last changed). */
const SLOW_FIRST = [
    "tests/jobs/backup.spec.ts", // throw-away PostgreSQL servers of every restore check
    "tests/protocol/protocols.spec.ts", // three language-host runs and two served policy packs
    "tests/monitoring/rules.spec.ts", // promtool over every alert rule case
    "tests/release/manifests.spec.ts", // the release CLI
    "tests/jobs/maintenance.spec.ts", // maintenance jobs against the deployed-as PostgreSQL
    "tests/lambdas/rotation-alternating.spec.ts",
    "tests/release/load-test.spec.ts",
    "tests/plan/plan.spec.ts",
    "tests/jobs/deployed-postgres.spec.ts",
    "tests/security/secret-scan.spec.ts",
    "tests/security/verify-full-tls.spec.ts",
    "tests/components/postgres.spec.ts",
    "tests/release/analysis.spec.ts",
    "tests/upstream/crd-schemas.spec.ts",
    "tests/release/crd-schema.spec.ts",
];

function specFiles(dir = "tests") {
    const out = [];
    for (const entry of fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true })) {
        const rel = `${dir}/${entry.name}`;
        if (entry.isDirectory()) out.push(...specFiles(rel));
        else if (entry.name.endsWith(".spec.ts")) out.push(rel);
    }
    return out;
}

/** Every spec file once: the slow ones first, in the list's order, then the rest sorted by path. */
function orderedSpecFiles() {
    const all = specFiles();
    const present = new Set(all);
    const missing = SLOW_FIRST.filter((f) => !present.has(f));
    if (missing.length > 0) throw new Error(`tools/spec-order.cjs lists spec files that do not exist: ${missing.join(", ")}`);
    const first = new Set(SLOW_FIRST);
    return [...SLOW_FIRST, ...all.filter((f) => !first.has(f)).sort()];
}

module.exports = { SLOW_FIRST, orderedSpecFiles };

if (require.main === module) {
    try {
        process.stdout.write(`${orderedSpecFiles().join("\n")}\n`);
    } catch (error) {
        process.stderr.write(`${error.message}\n`);
        process.exit(2);
    }
}
