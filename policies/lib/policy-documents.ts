/**
 * Raw statements of every policy document a resource carries (SEC-4, POL-2): identity policies, role trust
 * policies and resource policies (bucket, topic, key, repository and secret policies). Used by rules that read
 * principals, conditions and the Not* elements, which lib/iam.ts does not model.
 */
import { containsUnknown, isRecord, list, parseJson, type Props } from "./values";

/** Where each resource type keeps its policy documents. */
export const POLICY_DOCUMENT_KEYS: Record<string, string[]> = {
    "aws:iam/role:Role": ["assumeRolePolicy", "inlinePolicies"],
    "aws:iam/policy:Policy": ["policy"],
    "aws:iam/rolePolicy:RolePolicy": ["policy"],
    "aws:iam/userPolicy:UserPolicy": ["policy"],
    "aws:iam/groupPolicy:GroupPolicy": ["policy"],
    "aws:s3/bucketPolicy:BucketPolicy": ["policy"],
    "aws:s3/bucket:Bucket": ["policy"],
    // BucketV2 still takes an inline `policy` at @pulumi/aws 7.48.0 (STORE-1, POL-4: every form of a bucket policy).
    "aws:s3/bucketV2:BucketV2": ["policy"],
    "aws:sns/topicPolicy:TopicPolicy": ["policy"],
    "aws:sns/topic:Topic": ["policy"],
    "aws:kms/key:Key": ["policy"],
    "aws:kms/keyPolicy:KeyPolicy": ["policy"],
    "aws:ecr/repositoryPolicy:RepositoryPolicy": ["policy"],
    "aws:secretsmanager/secretPolicy:SecretPolicy": ["policy"],
};

/** The resource policies (documents whose statements name a Principal). */
export const RESOURCE_POLICY_TYPES = Object.keys(POLICY_DOCUMENT_KEYS).filter((t) => !t.startsWith("aws:iam/"));

export interface RawDocument {
    /** Property path of the document, e.g. `policy` or `inlinePolicies[0].policy`. */
    where: string;
    /** Statements, or undefined when the document is unknown during a preview. */
    statements?: Record<string, unknown>[];
    /** Set when the document is known but is not a policy document. */
    invalid?: boolean;
}

function parse(where: string, value: unknown): RawDocument {
    if (containsUnknown(value)) {
        return { where };
    }
    const parsed = parseJson(value);
    if (typeof value === "string" && containsUnknown(parsed)) {
        return { where };
    }
    if (!isRecord(parsed)) {
        return { where, invalid: true };
    }
    return { where, statements: list(parsed["Statement"]).filter(isRecord) };
}

/** Every document of a resource; `only` narrows to some keys (e.g. only the trust policy of a role). */
export function rawDocumentsOf(type: string, props: Props, only?: string[]): RawDocument[] {
    const docs: RawDocument[] = [];
    for (const key of (POLICY_DOCUMENT_KEYS[type] ?? []).filter((k) => !only || only.includes(k))) {
        const value = props[key];
        if (value === undefined || value === null || value === "") {
            continue;
        }
        if (key === "inlinePolicies") {
            if (containsUnknown(value) && !Array.isArray(value)) {
                docs.push({ where: key });
                continue;
            }
            list(value).forEach((p, i) => {
                const policy = isRecord(p) ? p["policy"] : p;
                if (policy !== undefined && policy !== "") {
                    docs.push(parse(`${key}[${i}].policy`, policy));
                }
            });
            continue;
        }
        docs.push(parse(key, value));
    }
    return docs;
}

/** True when a Principal element names everyone: "*", or "*" under AWS. */
export function isPublicPrincipal(principal: unknown): boolean {
    if (principal === "*") {
        return true;
    }
    return isRecord(principal) && list(principal["AWS"]).includes("*");
}

/** Condition keys of a statement (operator → key → value), flattened to their names in lower case. */
export function conditionKeys(statement: Record<string, unknown>): string[] {
    const condition = statement["Condition"];
    if (!isRecord(condition)) {
        return [];
    }
    return Object.values(condition)
        .filter(isRecord)
        .flatMap((byKey) => Object.keys(byKey))
        .map((k) => k.toLowerCase());
}
