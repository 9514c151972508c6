/**
 * Test helpers over the offline preview's recorded resources (the one mock layer: tools/plan/render.ts).
 * Assert on recorded inputs the awsx way: the exact children and the properties that matter.
 */
import * as path from "path";
import { renderProgram, renderStack, InlineOptions } from "../../tools/plan/render";
import { PlanDocument, PlanResourceState } from "../../tools/plan/types";

export const REPO_ROOT = path.resolve(__dirname, "..", "..");
export const STACKS = ["dev", "staging", "prod"] as const;

const cache = new Map<string, Promise<PlanDocument>>();

/** The repository's program rendered for a stack, once per test process. */
export function renderedStack(stack: string): Promise<PlanDocument> {
    if (!cache.has(stack)) cache.set(stack, renderStack({ projectDir: REPO_ROOT, stack }));
    return cache.get(stack)!;
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
    const found = ofType(doc, type).filter((r) => name === undefined || (typeof name === "string" ? nameOf(r) === name : name.test(nameOf(r))));
    if (found.length !== 1) {
        throw new Error(`expected exactly one ${type}${name ? ` named ${name}` : ""}, found ${found.length}: ${found.map(nameOf).join(", ")}`);
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
