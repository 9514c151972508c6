/**
 * Test helpers over the offline preview's recorded resources (the one mock layer: tools/plan/render.ts).
 * Assert on recorded inputs the awsx way: the exact children and the properties that matter.
 */
import * as crypto from "crypto";
import * as fs from "fs";
import * as path from "path";
import { projectModules, renderProgram, renderStack, InlineOptions } from "../../tools/plan/render";
import { PlanDocument, PlanResourceState } from "../../tools/plan/types";

export const REPO_ROOT = path.resolve(__dirname, "..", "..");
export const STACKS = ["dev", "staging", "prod"] as const;

/**
 * The repository's own modules, as `npm run plan` selects them (`projectModules`): a render that runs the program
 * again loads these afresh (`freshModules`), and puts the earlier instances back when it is done.
 */
export const programModules = projectModules(REPO_ROOT);

const cache = new Map<string, Promise<PlanDocument>>();

/** Everything a render of this program reads: the program, its stack files, the preview's mocks and the lock file. */
const RENDER_INPUTS = [
    "infra",
    "components",
    "lambdas",
    "jobs",
    "tools/plan",
    "Pulumi.yaml",
    "package-lock.json",
    "tsconfig.json",
];
export const RENDER_CACHE_DIR = path.join(REPO_ROOT, "node_modules", ".cache", "bookbuddy-renders");

let sourceHash: string | undefined;
/** A hash of every file that can change a render (contents and names), so a cached render is never stale. */
export function renderSourceHash(): string {
    if (sourceHash) return sourceHash;
    const hash = crypto.createHash("sha256");
    const walk = (rel: string): void => {
        const full = path.join(REPO_ROOT, rel);
        if (!fs.existsSync(full)) return;
        if (fs.statSync(full).isDirectory()) {
            for (const entry of fs.readdirSync(full).sort()) if (entry !== "node_modules") walk(path.join(rel, entry));
            return;
        }
        hash.update(rel).update("\0").update(fs.readFileSync(full)).update("\0");
    };
    for (const rel of [
        ...RENDER_INPUTS,
        ...fs
            .readdirSync(REPO_ROOT)
            .filter((f) => /^Pulumi\..+\.yaml$/.test(f))
            .sort(),
    ])
        walk(rel);
    return (sourceHash = hash.digest("hex").slice(0, 32));
}

/**
 * The repository's program rendered for a stack: once per source state, shared by every spec, every parallel
 * worker and later runs through a file keyed by renderSourceHash() (the render itself is unchanged: a miss
 * renders for real and stores the document as the preview writes it).
 */
export function renderedStack(stack: string): Promise<PlanDocument> {
    if (!cache.has(stack)) cache.set(stack, cachedRender(stack));
    return cache.get(stack)!;
}

async function cachedRender(stack: string): Promise<PlanDocument> {
    const file = path.join(RENDER_CACHE_DIR, `${renderSourceHash()}-${stack}.json`);
    try {
        return JSON.parse(fs.readFileSync(file, "utf8")) as PlanDocument;
    } catch {
        // Not rendered in this source state yet.
    }
    const doc = await renderStack({ projectDir: REPO_ROOT, stack });
    try {
        fs.mkdirSync(RENDER_CACHE_DIR, { recursive: true });
        fs.writeFileSync(`${file}.${process.pid}`, JSON.stringify(doc));
        fs.renameSync(`${file}.${process.pid}`, file);
    } catch {
        // A read-only tree only loses the cache.
    }
    // The same JSON round trip as a cache hit, so every spec sees the same kind of document.
    return JSON.parse(JSON.stringify(doc)) as PlanDocument;
}

/** Renders a program function (e.g. one component) under the same mocks. */
export function renderComponent(program: () => unknown, options?: InlineOptions): Promise<PlanDocument> {
    return renderProgram(program, { config: { "aws:region": "us-east-1" }, ...options });
}

export function resources(doc: PlanDocument): PlanResourceState[] {
    return doc.steps.map((s) => s.newState!).filter(Boolean);
}

/** Every resource of a type token, e.g. `aws:ec2/subnet:Subnet`. */
export function ofType(doc: PlanDocument, type: string): PlanResourceState[] {
    return resources(doc).filter((r) => r.type === type);
}

/** The logical name of a resource (last URN segment). */
export function nameOf(r: PlanResourceState): string {
    return r.urn.split("::").slice(3).join("::");
}

/** The one resource of a type whose logical name matches; fails loudly when there is not exactly one. */
export function one(doc: PlanDocument, type: string, name?: string | RegExp): PlanResourceState {
    const found = ofType(doc, type).filter(
        (r) => name === undefined || (typeof name === "string" ? nameOf(r) === name : name.test(nameOf(r))),
    );
    if (found.length !== 1) {
        throw new Error(
            `expected exactly one ${type}${name ? ` named ${name}` : ""}, found ${found.length}: ${found.map(nameOf).join(", ")}`,
        );
    }
    return found[0];
}

/** Direct children of a resource (by parent URN). */
export function childrenOf(doc: PlanDocument, parent: PlanResourceState): PlanResourceState[] {
    return resources(doc).filter((r) => r.parent === parent.urn);
}

/** Parses a JSON-string input such as an IAM policy document. */
export function json<T = any>(value: unknown): T {
    if (typeof value !== "string") throw new Error(`expected a JSON string, got ${JSON.stringify(value)}`);
    return JSON.parse(value) as T;
}
