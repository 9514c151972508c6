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
    return list(parsed["Statement"])
        .filter(isRecord)
        .map((s) => ({
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

/** True when a statement's Principal is everyone: "*" or { AWS: "*" } (resource policies, trust policies). */
export function principalIsEveryone(statement: Record<string, unknown>): boolean {
    const principal = statement["Principal"];
    if (principal === "*") {
        return true;
    }
    if (isRecord(principal)) {
        return list(principal["AWS"]).includes("*");
    }
    return statement["NotPrincipal"] !== undefined;
}

/** True when an Allow statement grants everyone without a Condition (Checkov CKV_AWS_70/CKV_AWS_33/CKV_AWS_60). */
export function allowsEveryone(statement: Record<string, unknown>): boolean {
    const condition = statement["Condition"];
    const conditioned = isRecord(condition) && Object.keys(condition).length > 0;
    return statement["Effect"] === "Allow" && principalIsEveryone(statement) && !conditioned;
}

/** The raw statements of a resource policy document; "unknown" in a preview, "invalid" when not a document. */
export function rawStatements(document: unknown): Record<string, unknown>[] | "unknown" | "invalid" {
    if (isUnknown(document)) {
        return "unknown";
    }
    const parsed = parseJson(document);
    if (containsUnknown(parsed)) {
        return "unknown";
    }
    if (!isRecord(parsed)) {
        return "invalid";
    }
    return list(parsed["Statement"]).filter(isRecord);
}

/** AWS managed policies that grant Action "*" on Resource "*" (SEC-4); any partition. */
export const ADMIN_MANAGED_POLICY = /^arn:aws[a-z-]*:iam::aws:policy\/AdministratorAccess$/;

/** Managed-policy attachments, by the property that names the policy ARN(s) (SEC-4, POL-4). */
export const ATTACHMENT_TYPES: Record<string, string> = {
    "aws:iam/rolePolicyAttachment:RolePolicyAttachment": "policyArn",
    "aws:iam/userPolicyAttachment:UserPolicyAttachment": "policyArn",
    "aws:iam/groupPolicyAttachment:GroupPolicyAttachment": "policyArn",
    "aws:iam/policyAttachment:PolicyAttachment": "policyArn",
    "aws:iam/rolePolicyAttachmentsExclusive:RolePolicyAttachmentsExclusive": "policyArns",
    "aws:iam/role:Role": "managedPolicyArns",
};
