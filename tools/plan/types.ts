/**
 * The machine-readable contract of the credential-free preview (CI-2).
 *
 * The shape follows `pulumi preview --json` so that the same downstream tools (baseline diff, cost,
 * diagram, PR comment) can read either a real engine preview or ours.
 */

/** One step of a preview: what would happen to one resource. */
export interface PlanStep {
    /** `create`, `update`, `delete`, `replace` or `same`; the offline preview of a fresh render only creates. */
    op: "create" | "update" | "delete" | "replace" | "same" | string;
    urn: string;
    /** The state the resource would have after the step; absent for deletes. */
    newState?: PlanResourceState;
    /** The state before the step (only in diffs against a baseline and real engine previews). */
    oldState?: PlanResourceState;
    /** Top-level property names whose change triggers the op (real engine previews carry these). */
    diffReasons?: string[];
    replaceReasons?: string[];
    /** Property paths that changed, e.g. `tags.environment` or `ingress[0].cidrBlocks`. */
    detailedDiff?: Record<string, { kind: string; inputDiff?: boolean }>;
}

export interface PlanResourceState {
    type: string;
    urn: string;
    /** URN of the parent resource (a component, or the stack). */
    parent?: string;
    /** true for a cloud resource, false for a component resource. */
    custom: boolean;
    /** Provider reference `<provider urn>::<provider id>` when one was given explicitly. */
    provider?: string;
    /** `protect` resource option. */
    protect?: boolean;
    /** Inputs as the engine receives them. Secret values are the string "[secret]". */
    inputs: Record<string, unknown>;
    /** Provider-computed outputs (only in our offline preview; placeholders, deterministic). */
    outputs?: Record<string, unknown>;
    /** URNs this resource depends on. */
    dependencies: string[];
    /** Per input property, the URNs its value came from. */
    propertyDependencies: Record<string, string[]>;
}

export interface PolicyViolation {
    policyPack: string;
    policy: string;
    /** `mandatory`, `advisory` or `remediate`. */
    enforcementLevel: string;
    urn: string;
    message: string;
    severity?: string;
}

export interface CostLine {
    urn: string;
    type: string;
    /** What was priced, e.g. `db.t4g.micro Multi-AZ` or `NAT gateway hours`. */
    description: string;
    monthlyUsd: number;
    /** Region whose prices were used: the region of the resource's provider. */
    region?: string;
    /** The top-level component the resource belongs to (from its URN), for grouping. */
    component?: string;
}

export interface CostEstimate {
    currency: "USD";
    region: string;
    /** Version/date of the price table used. */
    priceTable: string;
    monthlyUsd: number;
    resources: CostLine[];
    /** Charges that depend on usage and are deliberately not estimated. */
    notEstimated: { urn: string; type: string; reason: string }[];
    /**
     * Items that have a fixed price the table does not know (an instance class or a region missing from
     * tools/plan/prices/, an input not known): never dropped silently; when any exist the total is partial.
     */
    unpriced?: { urn: string; type: string; reason: string; region?: string }[];
    /** true when `unpriced` is not empty: the total leaves out fixed charges. */
    partial?: boolean;
    /** Price table per region used, e.g. `us-west-2 2026-11.1 (as of 2026-11-20)`. */
    priceTables?: Record<string, string>;
    /** Age in days of each price table used, at the moment of the estimate (the preview prints it). */
    priceTableAgeDays?: Record<string, number>;
}

export interface PlanDocument {
    /** Marks documents written by the offline preview (real engine JSON has no such key). */
    offline?: { stack: string; project: string; generatedBy: string };
    steps: PlanStep[];
    changeSummary: Record<string, number>;
    policyViolations?: PolicyViolation[];
    cost?: CostEstimate;
    /** Stack outputs, secrets redacted. */
    outputs?: Record<string, unknown>;
    /** Present when the preview was compared with a baseline. */
    diff?: unknown;
    /** The offline deploy-path check (DEP-1): tools/plan/deploy-path.ts, DeployPathResult. */
    deployPath?: unknown;
    /** The policy packs that judged the preview (e.g. `bookbuddy-security`), so a reader can tell "no findings" from "not run". */
    policyPacks?: string[];
}

// The wire signatures and the secret placeholder are owned by the policy packs' value helpers (policies/ imports
// nothing from tools/); the preview re-exports them under the same names.
export { SECRET_PLACEHOLDER, WIRE } from "../../policies/lib/values";
