/**
 * Line coverage of the parallel suite (QA-1, QA-2): required from .mocharc.json in mocha's main process.
 *
 * c8 sets NODE_V8_COVERAGE and every process mocha forks inherits it, so each parallel worker records its
 * coverage and V8 writes it when the worker exits. Mocha's worker pool (workerpool) asks a worker to exit and
 * kills it one second later (`workerTerminateTimeout`); a worker that has loaded the Pulumi SDKs needs longer
 * than that to write its coverage, so it used to be killed mid-write and its specs counted for nothing. Under
 * coverage the pool waits up to two minutes for a clean exit instead. Without NODE_V8_COVERAGE nothing changes.
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const workerpool = require("workerpool") as {
    pool: (script: string, options?: Record<string, unknown>) => unknown;
    __coveragePatched?: boolean;
};

/** How long a worker may take to exit (and write its coverage) once asked. */
export const COVERAGE_EXIT_TIMEOUT_MS = 120_000;

if (process.env.NODE_V8_COVERAGE && !workerpool.__coveragePatched) {
    const pool = workerpool.pool.bind(workerpool);
    workerpool.pool = (script, options) => pool(script, { ...options, workerTerminateTimeout: COVERAGE_EXIT_TIMEOUT_MS });
    workerpool.__coveragePatched = true;
}
