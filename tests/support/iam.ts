/**
 * IAM documents as the specs check them with pbac, an IAM policy evaluator (SEC-4, SEC-7, DEP-1): its grammar
 * (`pbac.validate`) and its evaluation of a request (`evaluator(...).evaluate`).
 *
 * pbac 0.3.2 evaluates only the first key of each condition operator block: under
 * `StringEquals: { "<issuer>:aud": ..., "<issuer>:sub": ... }` it checks the audience and ignores the subject. IAM
 * requires every key of a block to match. `evaluator` keeps pbac's own operators and evaluates each key of a
 * block on its own, so a block matches only when all its keys do (tests/security/iam-evaluator.spec.ts).
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const PBAC = require("pbac");

export type Statement = Record<string, unknown>;
export interface PolicyDocument {
    Version?: string;
    Statement: Statement | Statement[];
}

/** A value IAM accepts as a single string or a list, as a list. */
export const asList = (v: unknown): unknown[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

/**
 * The same document in IAM's equivalent list form, which pbac's schema wants: actions, resources and condition
 * values as lists, principals as maps of lists (`"*"` is `{ AWS: ["*"] }`).
 */
export function pbacForm(doc: PolicyDocument): unknown {
    const principal = (p: unknown) =>
        p === "*" ? { AWS: ["*"] } : Object.fromEntries(Object.entries(p as object).map(([k, v]) => [k, asList(v)]));
    return {
        Version: doc.Version,
        Statement: asList(doc.Statement).map((raw) => {
            const s = raw as Statement;
            const out: Statement = { ...s };
            for (const k of ["Action", "NotAction", "Resource", "NotResource"]) if (k in s) out[k] = asList(s[k]);
            for (const k of ["Principal", "NotPrincipal"]) if (k in s) out[k] = principal(s[k]);
            if (s.Condition !== undefined)
                out.Condition = Object.fromEntries(
                    Object.entries(s.Condition as Record<string, Record<string, unknown>>).map(([op, block]) => [
                        op,
                        Object.fromEntries(Object.entries(block).map(([k, v]) => [k, asList(v)])),
                    ]),
                );
            return out;
        }),
    };
}

/** A request as pbac evaluates it. */
export interface EvaluationRequest {
    action: string;
    resource?: string;
    principal?: Record<string, string[]>;
    context?: Record<string, unknown>;
}

export interface Evaluator {
    evaluate(request: EvaluationRequest): boolean;
}

/** pbac over these documents (in any IAM form), with every key of a condition block evaluated. */
export function evaluator(docs: PolicyDocument[]): Evaluator {
    const pbac = new PBAC(docs.map(pbacForm));
    const oneKey = pbac.evaluateCondition.bind(pbac) as (condition: unknown, context: unknown) => boolean;
    pbac.evaluateCondition = (condition: unknown, context: unknown): boolean => {
        if (condition === null || typeof condition !== "object" || Array.isArray(condition)) return true;
        return Object.entries(condition as Record<string, Record<string, unknown>>).every(([op, block]) =>
            Object.entries(block).every(([key, values]) => oneKey({ [op]: { [key]: values } }, context)),
        );
    };
    return pbac;
}

/** pbac's grammar check of one document in IAM form; throws with pbac's details when it fails. */
export function validateGrammar(doc: PolicyDocument): void {
    new PBAC([]).validate(pbacForm(doc));
}
