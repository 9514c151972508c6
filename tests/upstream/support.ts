/**
 * Shared helpers of the upstream-conformance specs (#14): the typed configuration of a stack, data files with
 * their recorded source, and the IAM picture of a rendered stack (each role with every policy that applies to
 * it: inline policies, RolePolicy resources and managed-policy attachments).
 */
import * as fs from "fs";
import * as path from "path";
import YAML from "yaml";
import { parseStackConfig, StackConfig } from "../../infra/config";
import { readProject, readStackConfig } from "../../tools/plan/render";
import { PlanDocument, PlanResourceState } from "../../tools/plan/types";
import { nameOf, ofType, REPO_ROOT } from "../support/plan";

export const UPSTREAM_DIR = path.join(REPO_ROOT, "tests", "upstream");

/** Where an upstream fact comes from: every data file records it. */
export interface Source {
    project: string;
    file: string;
    version: string;
    url?: string;
}

/** The validated configuration of a stack, defaults applied, as the program sees it. */
export function stackConfig(stack: string): StackConfig {
    const { config, secretKeys } = readStackConfig(REPO_ROOT, readProject(REPO_ROOT), stack);
    return parseStackConfig(stack, config, new Set(secretKeys));
}

/** Reads a YAML or JSON data file below tests/upstream. */
export function readData<T>(...parts: string[]): T {
    const file = path.join(UPSTREAM_DIR, ...parts);
    const text = fs.readFileSync(file, "utf8");
    return (file.endsWith(".json") ? JSON.parse(text) : YAML.parse(text)) as T;
}

export function listData(dir: string, ext = /\.(ya?ml|json)$/): string[] {
    return fs
        .readdirSync(path.join(UPSTREAM_DIR, dir))
        .filter((f) => ext.test(f))
        .sort();
}

/** A value at a dotted path of the typed configuration, e.g. `cluster.charts.awsLoadBalancerController`. */
export function configAt(config: unknown, dotted: string): unknown {
    return dotted
        .split(".")
        .reduce<unknown>((v, k) => (v && typeof v === "object" ? (v as Record<string, unknown>)[k] : undefined), config);
}

export interface PolicyDocument {
    Version: string;
    Statement: unknown;
}

export interface RolePolicies {
    /** Logical name of the role, e.g. `bookbuddy-prod-aws-load-balancer-controller`. */
    name: string;
    arn: string;
    trust: PolicyDocument;
    /** Identity policies by where they come from. */
    identity: { name: string; policy: PolicyDocument }[];
}

interface ManagedPolicyFile {
    arn: string;
    source: Record<string, string>;
    document: PolicyDocument;
}

/** AWS managed policies kept as data (tests/upstream/managed-policies), by ARN. */
export function managedPolicies(): Map<string, ManagedPolicyFile> {
    const out = new Map<string, ManagedPolicyFile>();
    for (const f of listData("managed-policies")) {
        const data = readData<ManagedPolicyFile>("managed-policies", f);
        out.set(data.arn, data);
    }
    return out;
}

/** Every role of a rendered stack with its trust policy and all identity policies that apply to it. */
export function rolesOf(doc: PlanDocument): RolePolicies[] {
    const managed = managedPolicies();
    const customerPolicies = new Map(ofType(doc, "aws:iam/policy:Policy").map((p) => [String(p.outputs?.arn), p]));
    const refersTo = (role: PlanResourceState, value: unknown) =>
        [role.outputs?.id, role.outputs?.name, role.inputs.name, role.outputs?.arn].includes(value as string);
    return ofType(doc, "aws:iam/role:Role").map((role) => {
        const identity: RolePolicies["identity"] = [];
        for (const [i, inline] of ((role.inputs.inlinePolicies as { policy?: string }[] | undefined) ?? []).entries()) {
            if (inline.policy) identity.push({ name: `${nameOf(role)}.inlinePolicies[${i}]`, policy: JSON.parse(inline.policy) });
        }
        for (const rp of ofType(doc, "aws:iam/rolePolicy:RolePolicy").filter((p) => refersTo(role, p.inputs.role))) {
            identity.push({ name: nameOf(rp), policy: JSON.parse(String(rp.inputs.policy)) });
        }
        for (const att of ofType(doc, "aws:iam/rolePolicyAttachment:RolePolicyAttachment").filter((a) =>
            refersTo(role, a.inputs.role),
        )) {
            const arn = String(att.inputs.policyArn);
            const m = managed.get(arn);
            const c = customerPolicies.get(arn);
            if (m) identity.push({ name: arn, policy: m.document });
            else if (c) identity.push({ name: nameOf(c), policy: JSON.parse(String(c.inputs.policy)) });
            else
                throw new Error(
                    `${nameOf(att)}: attaches ${arn}, which is neither in the stack nor kept in tests/upstream/managed-policies`,
                );
        }
        return {
            name: nameOf(role),
            arn: String(role.outputs?.arn),
            trust: JSON.parse(String(role.inputs.assumeRolePolicy)),
            identity,
        };
    });
}

/**
 * Resolves the placeholders of a call file against a rendered stack:
 * `{account}`, `{region}`, `{drRegion}`, `{stack}` (dev, staging, prod), `{env}` (bookbuddy-<stack>), `{cluster}`
 * (EKS cluster name), `{masterSecret}` (ARN of the RDS-managed master secret of the stack's instance) and
 * `{arn:<type>:<name>}`, the ARN of the resource of type `aws:<type>` whose logical name is `<env>-<name>`
 * (e.g. `{arn:kms/key:Key:data}`).
 */
export function resolver(doc: PlanDocument, stack: string): (text: string) => string {
    const config = stackConfig(stack);
    const env = `bookbuddy-${stack}`;
    const cluster = ofType(doc, "aws:eks/cluster:Cluster")[0];
    const anyRole = ofType(doc, "aws:iam/role:Role")[0];
    const account = String(anyRole.outputs?.arn).split(":")[4];
    const { config: raw } = readStackConfig(REPO_ROOT, readProject(REPO_ROOT), stack);
    const instance = ofType(doc, "aws:rds/instance:Instance")[0];
    const masterSecrets = (instance?.outputs?.masterUserSecrets as { secretArn?: string }[] | undefined) ?? [];
    const simple: Record<string, string> = {
        account,
        region: raw["aws:region"],
        drRegion: String(configAt(config, "drRegion") ?? ""),
        stack,
        env,
        cluster: String(cluster?.outputs?.name ?? cluster?.inputs.name ?? env),
        masterSecret: String(masterSecrets[0]?.secretArn ?? ""),
    };
    return (text) =>
        text.replace(/\{([^{}]+)\}/g, (whole, key: string) => {
            if (key in simple) {
                if (!simple[key]) throw new Error(`placeholder ${whole}: the rendered stack has no value for it`);
                return simple[key];
            }
            const m = /^arn:(.+):([^:]+)$/.exec(key);
            if (!m) throw new Error(`unknown placeholder ${whole}`);
            const found = ofType(doc, `aws:${m[1]}`).filter((r) => nameOf(r) === `${env}-${m[2]}`);
            if (found.length !== 1)
                throw new Error(`placeholder ${whole}: ${found.length} resources of aws:${m[1]} named ${env}-${m[2]}`);
            return String(found[0].outputs?.arn);
        });
}

/**
 * The resource policy IAM evaluates with a call on a resource of the stack: a KMS key's key policy (KMS needs
 * it to allow the account or the role) or an S3 bucket's bucket policy; undefined for other resources.
 */
export function resourcePolicyFor(doc: PlanDocument, arn: string): PolicyDocument | undefined {
    const key = ofType(doc, "aws:kms/key:Key").find((k) => k.outputs?.arn === arn);
    if (key) return key.inputs.policy ? JSON.parse(String(key.inputs.policy)) : undefined;
    const bucket = /^arn:aws:s3:::([^/]+)/.exec(arn)?.[1];
    if (!bucket) return undefined;
    const policy = ofType(doc, "aws:s3/bucketPolicy:BucketPolicy").find((p) => p.inputs.bucket === bucket);
    return policy ? JSON.parse(String(policy.inputs.policy)) : undefined;
}
