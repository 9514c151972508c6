/** Reading IAM policy documents for the least-privilege rules (SEC-4). */
import { containsUnknown, isRecord, isUnknown, list, parseJson, type Props } from "./values";

export interface PolicyStatement {
    effect: string;
    actions: string[];
    resources: string[];
    notAction: boolean;
    notResource: boolean;
}

/** One IAM document found on a resource, with where it was found. */
export interface FoundDocument {
    where: string;
    /** undefined when the document is unknown during preview. */
    statements?: PolicyStatement[];
    /** Set when the document is known but is not valid JSON / not a policy document. */
    invalid?: boolean;
}

function strings(value: unknown): string[] {
    return list(value).filter((v): v is string => typeof v === "string");
}

export function statementsOf(document: unknown): PolicyStatement[] | undefined {
    const parsed = parseJson(document);
    if (!isRecord(parsed)) {
        return undefined;
    }
    return list(parsed["Statement"]).filter(isRecord).map((s) => ({
        effect: typeof s["Effect"] === "string" ? s["Effect"] : "",
        actions: strings(s["Action"] ?? s["NotAction"]),
        resources: strings(s["Resource"] ?? s["NotResource"]),
        notAction: s["NotAction"] !== undefined,
        notResource: s["NotResource"] !== undefined,
    }));
}

/** The IAM documents held by a role (inline policies), policy, or role/user/group policy. */
export function documentsOf(type: string, props: Props): FoundDocument[] {
    const raw: { where: string; value: unknown }[] = [];
    if (type === "aws:iam/role:Role") {
        const inline = props["inlinePolicies"];
        if (isUnknown(inline)) {
            return [{ where: "inlinePolicies" }];
        }
        list(inline).forEach((p, i) => raw.push({ where: `inlinePolicies[${i}].policy`, value: isRecord(p) ? p["policy"] : p }));
    } else {
        raw.push({ where: "policy", value: props["policy"] });
    }
    return raw
        .filter((d) => d.value !== undefined && d.value !== "")
        .map((d) => {
            if (containsUnknown(d.value) || (typeof d.value === "string" && containsUnknown(parseJson(d.value)))) {
                return { where: d.where };
            }
            const statements = statementsOf(d.value);
            return statements ? { where: d.where, statements } : { where: d.where, invalid: true };
        });
}

export const IAM_POLICY_TYPES = [
    "aws:iam/role:Role",
    "aws:iam/policy:Policy",
    "aws:iam/rolePolicy:RolePolicy",
    "aws:iam/userPolicy:UserPolicy",
    "aws:iam/groupPolicy:GroupPolicy",
];
