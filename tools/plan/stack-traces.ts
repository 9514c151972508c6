/**
 * Stack traces cost more than anything else in a preview (measured with `node --cpu-prof`): the Pulumi SDK
 * captures one for every resource and promise, and ts-node maps each through source maps. The preview
 * command turns both off unless BOOKBUDDY_STACK_TRACES=1: a user's mistakes get clear messages without
 * traces anyway, and a program bug can be rerun with the variable set to see its trace.
 */
export function useFastStackTraces(env: NodeJS.ProcessEnv = process.env): boolean {
    if (env.BOOKBUDDY_STACK_TRACES === "1") return false;
    // Back to V8's own formatting (the typings do not admit undefined, the runtime does).
    (Error as { prepareStackTrace?: unknown }).prepareStackTrace = undefined;
    Error.stackTraceLimit = 0;
    return true;
}
