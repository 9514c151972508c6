/**
 * One language-host run per stack per test process (DEP-2): the language-host, analyzer and dependency suites share it,
 * as the other specs share one offline render per stack (tests/support/plan.ts). The three stacks start
 * together, each in its own child process with its own stand-in engine. Likewise one served process per
 * policy pack.
 */
import { readProject, readStackConfig } from "../../tools/plan/render";
import { REPO_ROOT, STACKS } from "../support/plan";
import { ServedPack } from "./analyzer";
import { EngineRun, runThroughLanguageHost } from "./engine";

export const PACKS = ["security", "maintenance"] as const;
export type PackName = (typeof PACKS)[number];

const runs = new Map<string, Promise<EngineRun>>();

function start(stack: string): Promise<EngineRun> {
    const project = readProject(REPO_ROOT);
    const { config, secretKeys } = readStackConfig(REPO_ROOT, project, stack);
    return runThroughLanguageHost(
        { repoRoot: REPO_ROOT, project: project.name, stack, config, secretKeys, timeoutMs: 480_000 },
        config["aws:region"] ?? "us-east-1",
    );
}

/** The program of the repository run through `cmd/run` for a stack; all stacks start on the first call. */
export function languageHostRun(stack: string): Promise<EngineRun> {
    if (runs.size === 0) for (const s of STACKS) runs.set(s, start(s));
    if (!runs.has(stack)) runs.set(stack, start(stack));
    return runs.get(stack)!;
}

const packs = new Map<string, Promise<ServedPack>>();
const packModuleLists = new Map<string, string[]>();

/** A policy pack served by `run-policy-pack` (both packs start on the first call). */
export function servedPack(name: PackName): Promise<ServedPack> {
    if (packs.size === 0) for (const p of PACKS) packs.set(p, ServedPack.start(REPO_ROOT, `policies/${p}`, 300_000));
    if (!packs.has(name)) packs.set(name, ServedPack.start(REPO_ROOT, `policies/${name}`, 300_000));
    return packs.get(name)!;
}

/** Stops the served packs, keeping the list of modules each loaded. */
export async function stopPacks(): Promise<void> {
    const running = [...packs.entries()];
    packs.clear();
    for (const [name, pack] of running) {
        const served = await pack.catch(() => undefined);
        if (served) packModuleLists.set(name, await served.stop());
    }
}

/** Every module file a served pack loaded (serves and stops the packs if no spec has yet). */
export async function packModules(name: PackName): Promise<string[]> {
    if (!packModuleLists.has(name)) {
        await servedPack(name);
        await stopPacks();
    }
    return packModuleLists.get(name) ?? [];
}
