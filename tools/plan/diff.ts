/**
 * Baseline diff of the credential-free preview (CI-2).
 *
 * `diffPlans` compares two preview documents: an earlier one (the baseline, e.g. the target branch's
 * offline preview, or a real `pulumi preview --json`) and the current one. Both are first normalised to
 * "URN -> resource state after the preview" so that either format can stand on either side:
 *
 * - our offline preview: every step is a `create` whose `newState` is the rendered resource;
 * - a real engine preview (`pulumi preview --json`, the engine's PreviewDigest): steps with op
 *   `same`/`create`/`update`/`replace`/`delete` (and, with `--show-replacement-steps`,
 *   `create-replacement`/`delete-replaced`), each with `oldState`/`newState`, `diffReasons`,
 *   `replaceReasons` and `detailedDiff`. The engine hides `same` steps unless `--show-sames` is given;
 *   such a document is *incomplete*: resources it does not list are neither creates nor deletes but
 *   "not comparable" (see `PlanDiff.notComparable`).
 *
 * Secrets (SEC-2) never leave their placeholder: a property whose value is `"[secret]"` on either side
 * is reported as changed or unchanged only, never with a value. Two placeholders cannot be compared, so
 * `"[secret]"` on both sides counts as unchanged, unless the current document is a real engine preview
 * whose step for that resource names the property in `detailedDiff` or `diffReasons` (the engine saw
 * the plaintext); then it is reported as a changed secret.
 *
 * A change to a property that the provider cannot update in place forces a replacement; the table
 * `REPLACE_ON_CHANGES` lists those properties for the resource types this program uses, with the
 * source of each entry.
 */
import { CostEstimate, PlanDocument, PlanResourceState, PlanStep, SECRET_PLACEHOLDER, WIRE } from "./types";
import { isRecord } from "../../policies/lib/values";

/** The value the engine writes for a property that is not known until the resource exists. */
/** The signature key of a serialised secret in engine state (`{"4dabf...": "1b47...", ...}`). */
const SECRET_SIGNATURE_KEY = WIRE.signatureKey;

/** The state of one resource after a preview, as both formats can express it. */
export interface NormalisedResource {
    urn: string;
    type: string;
    custom: boolean;
    parent?: string;
    protect?: boolean;
    inputs: Record<string, unknown>;
    dependencies: string[];
    propertyDependencies: Record<string, string[]>;
    /** For real engine previews: property paths the engine reported as changed (detailedDiff keys and diffReasons). */
    engineChangedPaths?: string[];
}

export interface NormalisedPlan {
    /** `offline` for documents of the credential-free preview, `engine` for `pulumi preview --json`. */
    format: "offline" | "engine";
    /** false when the document omits unchanged resources (engine preview without `--show-sames`). */
    complete: boolean;
    /** Resources keyed by URN, sorted by URN. */
    resources: Map<string, NormalisedResource>;
}

export type ChangeKind = "add" | "delete" | "update";

/** One changed property of an updated or replaced resource. */
export interface PropertyChange {
    /** Property path: `tags.environment`, `ingress[0].cidrBlocks[1]`, `metadata.annotations["a.b/c"]`. */
    path: string;
    kind: ChangeKind;
    /** Value in the baseline (absent for `add`, and for secrets). */
    old?: unknown;
    /** Value in the current document (absent for `delete`, and for secrets). */
    new?: unknown;
    /** true when either side is a secret: values are withheld. */
    secret?: boolean;
    /** true when either side is not known until apply. */
    unknown?: boolean;
    /** true when this change forces the resource to be replaced. */
    forcesReplacement?: boolean;
}

export interface ResourceRef {
    urn: string;
    type: string;
    /** The resource's logical name (last URN segment). */
    name: string;
}

export interface ResourceUpdate extends ResourceRef {
    changes: PropertyChange[];
}

export interface ResourceReplacement extends ResourceUpdate {
    /** The replace-forcing properties that changed, with where that rule comes from. */
    replaceReasons: { property: string; source: string }[];
}

export interface CostDelta {
    baselineMonthlyUsd: number;
    currentMonthlyUsd: number;
    deltaMonthlyUsd: number;
}

/** The result of `diffPlans`; plain data, JSON-serialisable. */
export interface PlanDiff {
    baseline: { format: "offline" | "engine"; complete: boolean; resources: number };
    current: { format: "offline" | "engine"; complete: boolean; resources: number };
    creates: ResourceRef[];
    updates: ResourceUpdate[];
    replaces: ResourceReplacement[];
    deletes: ResourceRef[];
    /** Number of resources present on both sides with equal inputs. */
    unchanged: number;
    /** Resources listed on one side only while the other side is incomplete: no verdict possible. */
    notComparable: (ResourceRef & { reason: string })[];
    /** Monthly cost delta when both documents carry (or can be given) a cost estimate. */
    cost?: CostDelta;
}

/** One replace-forcing property of a resource type. */
export interface ReplaceRule {
    /** Input property path (camelCase, as in the Pulumi SDK). */
    property: string;
    /** Where the rule comes from. */
    source: string;
    /** `removed`: only removing the property forces replacement. */
    when?: "removed";
    /** Extra condition on the new inputs (e.g. an engine version), explained in `source`. */
    condition?: (oldInputs: Record<string, unknown>, newInputs: Record<string, unknown>) => boolean;
}

const TF = "terraform-provider-aws schema (ForceNew), which @pulumi/aws bridges";
const TF_RDS = `${TF}: internal/service/rds/instance.go`;
const TF_EKS = `${TF}: internal/service/eks/cluster.go`;
const TF_NG = `${TF}: internal/service/eks/node_group.go`;
const TF_EC2 = `${TF}: internal/service/ec2`;
const K8S = "@pulumi/kubernetes: metadata.name/namespace identify the object; changing them replaces it";

function versionBelow(version: unknown, floor: number[]): boolean {
    if (typeof version !== "string") {
        return false;
    }
    const parts = version.split(".").map((p) => Number.parseInt(p, 10));
    for (let i = 0; i < floor.length; i++) {
        const v = Number.isFinite(parts[i]) ? parts[i] : 0;
        if (v !== floor[i]) {
            return v < floor[i];
        }
    }
    return false;
}

const k8sIdentity: ReplaceRule[] = [
    { property: "metadata.name", source: K8S },
    { property: "metadata.namespace", source: K8S },
];

/**
 * Replace-forcing input properties per resource type (CI-2). Resource types absent from the table, and
 * properties absent from an entry, are assumed to update in place: the diff then reports an update,
 * and the real engine preview remains the authority.
 */
export const REPLACE_ON_CHANGES: Record<string, ReplaceRule[]> = {
    "aws:rds/instance:Instance": [
        "identifier", "identifierPrefix", "engine", "storageEncrypted", "kmsKeyId", "availabilityZone",
        "dbName", "username", "characterSetName", "ncharCharacterSetName", "timezone", "snapshotIdentifier",
        "restoreToPointInTime", "customIamInstanceProfile",
    ].map((property) => ({ property, source: TF_RDS })),
    "aws:rds/subnetGroup:SubnetGroup": [
        { property: "name", source: `${TF}: internal/service/rds/subnet_group.go` },
        { property: "namePrefix", source: `${TF}: internal/service/rds/subnet_group.go` },
    ],
    "aws:rds/parameterGroup:ParameterGroup": ["name", "namePrefix", "family"].map((property) => ({
        property, source: `${TF}: internal/service/rds/parameter_group.go`,
    })),
    "aws:ec2/vpc:Vpc": [{ property: "cidrBlock", source: `${TF_EC2}/vpc_.go` }],
    "aws:ec2/subnet:Subnet": ["cidrBlock", "availabilityZone", "availabilityZoneId", "vpcId", "ipv6Native"].map(
        (property) => ({ property, source: `${TF_EC2}/vpc_subnet.go` }),
    ),
    "aws:ec2/natGateway:NatGateway": ["subnetId", "allocationId", "connectivityType", "privateIp"].map(
        (property) => ({ property, source: `${TF_EC2}/vpc_nat_gateway.go` }),
    ),
    "aws:ec2/securityGroup:SecurityGroup": ["name", "namePrefix", "description", "vpcId"].map((property) => ({
        property, source: `${TF_EC2}/vpc_security_group.go`,
    })),
    "aws:ec2/securityGroupRule:SecurityGroupRule": [
        "type", "fromPort", "toPort", "protocol", "cidrBlocks", "ipv6CidrBlocks", "prefixListIds",
        "securityGroupId", "sourceSecurityGroupId", "self",
    ].map((property) => ({ property, source: `${TF_EC2}/vpc_security_group_rule.go` })),
    "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": [
        { property: "securityGroupId", source: `${TF}: internal/service/vpc security_group_ingress_rule.go` },
    ],
    "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule": [
        { property: "securityGroupId", source: `${TF}: internal/service/vpc security_group_egress_rule.go` },
    ],
    "aws:ec2/vpcEndpoint:VpcEndpoint": ["vpcId", "serviceName", "vpcEndpointType"].map((property) => ({
        property, source: `${TF_EC2}/vpc_endpoint.go`,
    })),
    "aws:ec2/launchTemplate:LaunchTemplate": [
        { property: "name", source: `${TF_EC2}/ec2_launch_template.go (every other change creates a new version)` },
        { property: "namePrefix", source: `${TF_EC2}/ec2_launch_template.go` },
    ],
    "aws:eks/cluster:Cluster": [
        { property: "name", source: TF_EKS },
        { property: "roleArn", source: TF_EKS },
        { property: "bootstrapSelfManagedAddons", source: TF_EKS },
        { property: "accessConfig.bootstrapClusterCreatorAdminPermissions", source: TF_EKS },
        { property: "kubernetesNetworkConfig.ipFamily", source: TF_EKS },
        { property: "kubernetesNetworkConfig.serviceIpv4Cidr", source: TF_EKS },
        { property: "outpostConfig", source: TF_EKS },
        { property: "remoteNetworkConfig", source: TF_EKS },
        {
            property: "encryptionConfig", when: "removed",
            source: `${TF_EKS} (CustomizeDiff: envelope encryption cannot be disabled once enabled)`,
        },
    ],
    "aws:eks/nodeGroup:NodeGroup": [
        "clusterName", "nodeGroupName", "nodeGroupNamePrefix", "nodeRoleArn", "subnetIds", "amiType",
        "capacityType", "diskSize", "instanceTypes", "remoteAccess", "launchTemplate.id", "launchTemplate.name",
    ].map((property) => ({ property, source: TF_NG })),
    "aws:eks/addon:Addon": ["clusterName", "addonName"].map((property) => ({
        property, source: `${TF}: internal/service/eks/addon.go`,
    })),
    "aws:elasticache/replicationGroup:ReplicationGroup": [
        ...["replicationGroupId", "atRestEncryptionEnabled", "kmsKeyId", "subnetGroupName", "port",
            "snapshotArns", "snapshotName", "preferredCacheClusterAzs"].map((property) => ({
            property, source: `${TF}: internal/service/elasticache/replication_group.go`,
        })),
        {
            property: "transitEncryptionEnabled",
            source: "@pulumi/aws ReplicationGroup docs: forces replacement only with engineVersion < 7.0.5",
            condition: (_old, current) => versionBelow(current.engineVersion, [7, 0, 5]),
        },
    ],
    "aws:elasticache/subnetGroup:SubnetGroup": [
        { property: "name", source: `${TF}: internal/service/elasticache/subnet_group.go` },
    ],
    "aws:s3/bucket:Bucket": ["bucket", "bucketPrefix", "objectLockEnabled"].map((property) => ({
        property, source: `${TF}: internal/service/s3/bucket.go`,
    })),
    "aws:s3/bucketV2:BucketV2": ["bucket", "bucketPrefix", "objectLockEnabled"].map((property) => ({
        property, source: `${TF}: internal/service/s3/bucket.go`,
    })),
    "aws:kms/key:Key": [],
    "aws:kms/alias:Alias": [
        { property: "name", source: `${TF}: internal/service/kms/alias.go` },
        { property: "namePrefix", source: `${TF}: internal/service/kms/alias.go` },
    ],
    "aws:secretsmanager/secret:Secret": [
        { property: "name", source: `${TF}: internal/service/secretsmanager/secret.go` },
        { property: "namePrefix", source: `${TF}: internal/service/secretsmanager/secret.go` },
    ],
    "aws:cloudwatch/logGroup:LogGroup": [
        { property: "name", source: `${TF}: internal/service/logs/group.go` },
        { property: "namePrefix", source: `${TF}: internal/service/logs/group.go` },
    ],
    "aws:iam/role:Role": [
        { property: "name", source: `${TF}: internal/service/iam/role.go` },
        { property: "namePrefix", source: `${TF}: internal/service/iam/role.go` },
    ],
    "aws:ecr/repository:Repository": [
        { property: "name", source: `${TF}: internal/service/ecr/repository.go` },
        { property: "encryptionConfigurations", source: `${TF}: internal/service/ecr/repository.go` },
    ],
    "aws:sns/topic:Topic": ["name", "namePrefix", "fifoTopic"].map((property) => ({
        property, source: `${TF}: internal/service/sns/topic.go`,
    })),
    "aws:lb/loadBalancer:LoadBalancer": ["name", "namePrefix", "internal", "loadBalancerType"].map((property) => ({
        property, source: `${TF}: internal/service/elbv2/load_balancer.go`,
    })),
    "aws:wafv2/webAcl:WebAcl": ["name", "namePrefix", "scope"].map((property) => ({
        property, source: `${TF}: internal/service/wafv2/web_acl.go`,
    })),
    "aws:backup/vault:Vault": [
        { property: "name", source: `${TF}: internal/service/backup/vault.go` },
        { property: "kmsKeyArn", source: `${TF}: internal/service/backup/vault.go` },
    ],
    "kubernetes:core/v1:Namespace": [{ property: "metadata.name", source: K8S }],
    "kubernetes:core/v1:ServiceAccount": k8sIdentity,
    "kubernetes:core/v1:Service": k8sIdentity,
    "kubernetes:core/v1:ConfigMap": k8sIdentity,
    "kubernetes:core/v1:Secret": k8sIdentity,
    "kubernetes:apps/v1:Deployment": [
        ...k8sIdentity,
        { property: "spec.selector", source: "Kubernetes API: Deployment spec.selector is immutable" },
    ],
    "kubernetes:apps/v1:DaemonSet": [
        ...k8sIdentity,
        { property: "spec.selector", source: "Kubernetes API: DaemonSet spec.selector is immutable" },
    ],
    "kubernetes:networking.k8s.io/v1:Ingress": k8sIdentity,
    "kubernetes:policy/v1:PodDisruptionBudget": k8sIdentity,
    "kubernetes:autoscaling/v2:HorizontalPodAutoscaler": k8sIdentity,
    "kubernetes:helm.sh/v3:Release": [
        { property: "name", source: "@pulumi/kubernetes helm.v3.Release: the release name identifies it" },
        { property: "namespace", source: "@pulumi/kubernetes helm.v3.Release: the release namespace identifies it" },
    ],
};

// ---------------------------------------------------------------------------------------------------
// Normalisation
// ---------------------------------------------------------------------------------------------------

/** Ops after which the resource no longer exists. */
const GONE_OPS = new Set(["delete", "delete-replaced", "discard", "discard-replaced", "remove-pending-replace"]);

/** The logical name of a resource: the last `::` segment of its URN. */
export function urnName(urn: string): string {
    const i = urn.lastIndexOf("::");
    return i >= 0 ? urn.slice(i + 2) : urn;
}

/** The type token of a resource from its URN (`urn:pulumi:stack::project::parent$type::name`). */
export function urnType(urn: string): string {
    const parts = urn.split("::");
    if (parts.length < 4) {
        return "";
    }
    const qualified = parts[2];
    const i = qualified.lastIndexOf("$");
    return i >= 0 ? qualified.slice(i + 1) : qualified;
}

/** Default providers are an engine detail that the offline preview does not record. */
function isDefaultProvider(urn: string, type: string): boolean {
    return type.startsWith("pulumi:providers:") && urnName(urn).startsWith("default");
}

/** Replaces engine secret envelopes with the placeholder so both formats redact alike (SEC-2). */
function redact(value: unknown): unknown {
    if (Array.isArray(value)) {
        return value.map(redact);
    }
    if (value !== null && typeof value === "object") {
        const obj = value as Record<string, unknown>;
        if (SECRET_SIGNATURE_KEY in obj) {
            return SECRET_PLACEHOLDER;
        }
        const out: Record<string, unknown> = {};
        for (const key of Object.keys(obj)) {
            out[key] = redact(obj[key]);
        }
        return out;
    }
    return value;
}

function toResource(state: PlanResourceState, step: PlanStep, engine: boolean): NormalisedResource {
    const res: NormalisedResource = {
        urn: state.urn || step.urn,
        type: state.type || urnType(step.urn),
        custom: state.custom !== false,
        inputs: (redact(state.inputs ?? {}) as Record<string, unknown>) ?? {},
        dependencies: [...(state.dependencies ?? [])],
        propertyDependencies: { ...(state.propertyDependencies ?? {}) },
    };
    if (state.parent) {
        res.parent = state.parent;
    }
    if (state.protect !== undefined) {
        res.protect = state.protect;
    }
    if (engine) {
        const paths = [...Object.keys(step.detailedDiff ?? {}), ...(step.diffReasons ?? [])];
        if (paths.length > 0) {
            res.engineChangedPaths = [...new Set(paths)].sort();
        }
    }
    return res;
}

/**
 * Normalises a preview document of either format to "URN -> resource state after the preview" (CI-2).
 * The root stack resource and the engine's default providers are left out: they carry no inputs of the
 * program and only one of the two formats records them.
 */
export function normalisePlan(doc: PlanDocument): NormalisedPlan {
    const engine = !doc.offline;
    const byUrn = new Map<string, NormalisedResource>();
    let sameSteps = 0;
    for (const step of doc.steps ?? []) {
        if (step.op === "same") {
            sameSteps++;
        }
        const type = step.newState?.type ?? step.oldState?.type ?? urnType(step.urn);
        if (type === "pulumi:pulumi:Stack" || isDefaultProvider(step.urn, type)) {
            continue;
        }
        if (GONE_OPS.has(step.op) || !step.newState) {
            continue;
        }
        const existing = byUrn.get(step.urn);
        const res = toResource(step.newState, step, engine);
        if (existing?.engineChangedPaths) {
            res.engineChangedPaths = [...new Set([...existing.engineChangedPaths, ...(res.engineChangedPaths ?? [])])].sort();
        }
        byUrn.set(step.urn, res);
    }
    const declaredSame = Number(doc.changeSummary?.same ?? 0);
    const complete = !engine || sameSteps >= declaredSame;
    const resources = new Map<string, NormalisedResource>();
    for (const urn of [...byUrn.keys()].sort()) {
        resources.set(urn, byUrn.get(urn)!);
    }
    return { format: engine ? "engine" : "offline", complete, resources };
}

// ---------------------------------------------------------------------------------------------------
// Property diff
// ---------------------------------------------------------------------------------------------------

const IDENT = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

function childPath(parent: string, key: string): string {
    if (IDENT.test(key)) {
        return parent ? `${parent}.${key}` : key;
    }
    return `${parent}[${JSON.stringify(key)}]`;
}

function isSecret(v: unknown): boolean {
    return v === SECRET_PLACEHOLDER;
}

function isUnknown(v: unknown): boolean {
    return v === WIRE.unknown;
}

/** Deep equality of JSON values (object key order ignored). */
export function jsonEqual(a: unknown, b: unknown): boolean {
    if (a === b) {
        return true;
    }
    if (Array.isArray(a) && Array.isArray(b)) {
        return a.length === b.length && a.every((v, i) => jsonEqual(v, b[i]));
    }
    if (isRecord(a) && isRecord(b)) {
        const ka = Object.keys(a).filter((k) => a[k] !== undefined).sort();
        const kb = Object.keys(b).filter((k) => b[k] !== undefined).sort();
        return jsonEqual(ka, kb) && ka.every((k) => jsonEqual(a[k], b[k]));
    }
    return false;
}

/** A value fit for the JSON and the printout: secrets never appear, even nested in an added object. */
function shown(v: unknown): unknown {
    return redact(v);
}

function containsSecret(v: unknown): boolean {
    if (isSecret(v)) {
        return true;
    }
    if (Array.isArray(v)) {
        return v.some(containsSecret);
    }
    if (isRecord(v)) {
        return Object.values(v).some(containsSecret);
    }
    return false;
}

function leafChange(path: string, kind: ChangeKind, oldV: unknown, newV: unknown): PropertyChange {
    const change: PropertyChange = { path, kind };
    if (isSecret(oldV) || isSecret(newV)) {
        change.secret = true;
        return change;
    }
    if (isUnknown(oldV) || isUnknown(newV)) {
        change.unknown = true;
    }
    if (kind !== "add") {
        change.old = shown(oldV);
    }
    if (kind !== "delete") {
        change.new = shown(newV);
    }
    if (containsSecret(oldV) || containsSecret(newV)) {
        change.secret = true;
    }
    return change;
}

function engineNamed(path: string, enginePaths: string[] | undefined): boolean {
    if (!enginePaths) {
        return false;
    }
    return enginePaths.some((p) => p === path || path.startsWith(`${p}.`) || path.startsWith(`${p}[`));
}

/**
 * Deep diff of two input objects: objects by key, arrays by index. Returns leaf changes with paths.
 * `enginePaths` are property paths a real engine preview reported as changed; they decide whether a
 * secret that is a placeholder on both sides changed.
 */
export function diffInputs(
    oldInputs: Record<string, unknown>,
    newInputs: Record<string, unknown>,
    enginePaths?: string[],
): PropertyChange[] {
    const out: PropertyChange[] = [];
    const walk = (path: string, a: unknown, b: unknown): void => {
        if (a === undefined && b === undefined) {
            return;
        }
        if (a === undefined) {
            out.push(leafChange(path, "add", a, b));
            return;
        }
        if (b === undefined) {
            out.push(leafChange(path, "delete", a, b));
            return;
        }
        if (isSecret(a) && isSecret(b)) {
            if (engineNamed(path, enginePaths)) {
                out.push({ path, kind: "update", secret: true });
            }
            return;
        }
        if (isRecord(a) && isRecord(b)) {
            const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
            for (const key of keys) {
                walk(childPath(path, key), a[key], b[key]);
            }
            return;
        }
        if (Array.isArray(a) && Array.isArray(b)) {
            const n = Math.max(a.length, b.length);
            for (let i = 0; i < n; i++) {
                walk(`${path}[${i}]`, i < a.length ? a[i] : undefined, i < b.length ? b[i] : undefined);
            }
            return;
        }
        if (!jsonEqual(a, b)) {
            out.push(leafChange(path, "update", a, b));
        }
    };
    const keys = [...new Set([...Object.keys(oldInputs), ...Object.keys(newInputs)])].sort();
    for (const key of keys) {
        walk(childPath("", key), oldInputs[key], newInputs[key]);
    }
    return out;
}

/** Reads a dotted property path (`a.b.c`) from an inputs object. */
function getPath(obj: Record<string, unknown>, path: string): unknown {
    let cur: unknown = obj;
    for (const key of path.split(".")) {
        if (!isRecord(cur)) {
            return undefined;
        }
        cur = cur[key];
    }
    return cur;
}

function pathUnder(path: string, property: string): boolean {
    return path === property || path.startsWith(`${property}.`) || path.startsWith(`${property}[`);
}

/** The replace-forcing rules of `type` that a change from `oldInputs` to `newInputs` triggers. */
export function replaceReasons(
    type: string,
    oldInputs: Record<string, unknown>,
    newInputs: Record<string, unknown>,
    changes: PropertyChange[],
): { property: string; source: string }[] {
    const rules = REPLACE_ON_CHANGES[type] ?? [];
    const reasons: { property: string; source: string }[] = [];
    for (const rule of rules) {
        const before = getPath(oldInputs, rule.property);
        const after = getPath(newInputs, rule.property);
        let changed: boolean;
        if (isSecret(before) && isSecret(after)) {
            changed = changes.some((c) => pathUnder(c.path, rule.property));
        } else {
            changed = !jsonEqual(before, after);
        }
        if (!changed) {
            continue;
        }
        if (rule.when === "removed" && !(before !== undefined && after === undefined)) {
            continue;
        }
        if (rule.condition && !rule.condition(oldInputs, newInputs)) {
            continue;
        }
        reasons.push({ property: rule.property, source: rule.source });
    }
    return reasons;
}

function ref(res: NormalisedResource): ResourceRef {
    return { urn: res.urn, type: res.type, name: urnName(res.urn) };
}

function roundUsd(v: number): number {
    return Math.round(v * 100) / 100;
}

/** Options of `diffPlans`. */
export interface DiffOptions {
    /**
     * Estimates the cost of a document that carries none (e.g. a real engine preview), so that the
     * cost delta can still be shown. Typically `(doc) => estimateCost(doc, prices)`.
     */
    estimate?: (doc: PlanDocument) => CostEstimate;
}

/**
 * Compares a baseline preview with the current one (CI-2): creates, updates with their changed
 * property paths, replacements forced by a changed property, deletes, and the monthly cost delta.
 */
export function diffPlans(baseline: PlanDocument, current: PlanDocument, options: DiffOptions = {}): PlanDiff {
    const before = normalisePlan(baseline);
    const after = normalisePlan(current);
    const diff: PlanDiff = {
        baseline: { format: before.format, complete: before.complete, resources: before.resources.size },
        current: { format: after.format, complete: after.complete, resources: after.resources.size },
        creates: [],
        updates: [],
        replaces: [],
        deletes: [],
        unchanged: 0,
        notComparable: [],
    };
    const urns = [...new Set([...before.resources.keys(), ...after.resources.keys()])].sort();
    for (const urn of urns) {
        const a = before.resources.get(urn);
        const b = after.resources.get(urn);
        if (!a && b) {
            if (before.complete) {
                diff.creates.push(ref(b));
            } else {
                diff.notComparable.push({
                    ...ref(b),
                    reason: "only in the current document; the baseline omits unchanged resources (use --show-sames)",
                });
            }
            continue;
        }
        if (a && !b) {
            if (after.complete) {
                diff.deletes.push(ref(a));
            } else {
                diff.notComparable.push({
                    ...ref(a),
                    reason: "only in the baseline; the current document omits unchanged resources (use --show-sames)",
                });
            }
            continue;
        }
        if (!a || !b) {
            continue;
        }
        const changes = diffInputs(a.inputs, b.inputs, after.format === "engine" ? b.engineChangedPaths : undefined);
        if (changes.length === 0) {
            diff.unchanged++;
            continue;
        }
        const reasons = replaceReasons(b.type, a.inputs, b.inputs, changes);
        if (reasons.length > 0) {
            for (const change of changes) {
                if (reasons.some((r) => pathUnder(change.path, r.property))) {
                    change.forcesReplacement = true;
                }
            }
            diff.replaces.push({ ...ref(b), changes, replaceReasons: reasons });
        } else {
            diff.updates.push({ ...ref(b), changes });
        }
    }
    const costOf = (doc: PlanDocument): number | undefined =>
        doc.cost?.monthlyUsd ?? (options.estimate ? options.estimate(doc).monthlyUsd : undefined);
    const baselineCost = costOf(baseline);
    const currentCost = costOf(current);
    if (baselineCost !== undefined && currentCost !== undefined) {
        diff.cost = {
            baselineMonthlyUsd: roundUsd(baselineCost),
            currentMonthlyUsd: roundUsd(currentCost),
            deltaMonthlyUsd: roundUsd(currentCost - baselineCost),
        };
    }
    return diff;
}

// ---------------------------------------------------------------------------------------------------
// Printout
// ---------------------------------------------------------------------------------------------------

function showValue(v: unknown): string {
    if (v === undefined) {
        return "undefined";
    }
    if (isUnknown(v)) {
        return "(known after apply)";
    }
    const text = JSON.stringify(v);
    return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}

function formatChange(c: PropertyChange): string {
    const suffix = c.forcesReplacement ? "  (forces replacement)" : "";
    if (c.secret && c.old === undefined && c.new === undefined) {
        const what = c.kind === "add" ? "added" : c.kind === "delete" ? "removed" : "changed";
        return `${c.kind === "add" ? "+" : c.kind === "delete" ? "-" : "~"} ${c.path}: ${SECRET_PLACEHOLDER} (${what})${suffix}`;
    }
    switch (c.kind) {
        case "add":
            return `+ ${c.path}: ${showValue(c.new)}${suffix}`;
        case "delete":
            return `- ${c.path}: ${showValue(c.old)}${suffix}`;
        default:
            return `~ ${c.path}: ${showValue(c.old)} => ${showValue(c.new)}${suffix}`;
    }
}

function usd(v: number): string {
    const sign = v < 0 ? "-" : "";
    return `${sign}$${Math.abs(v).toFixed(2)}`;
}

/** The preview-like printout of a `PlanDiff` (CI-2). */
export function formatDiff(diff: PlanDiff): string {
    const lines: string[] = [];
    const side = (s: PlanDiff["baseline"]): string =>
        `${s.format === "engine" ? "engine preview" : "offline preview"}, ${s.resources} resources${s.complete ? "" : ", changed resources only"}`;
    lines.push("Baseline diff");
    lines.push(`  baseline: ${side(diff.baseline)}`);
    lines.push(`  current:  ${side(diff.current)}`);
    lines.push("");
    const counts: [string, number][] = [
        ["+ to create", diff.creates.length],
        ["~ to update", diff.updates.length],
        ["+- to replace", diff.replaces.length],
        ["- to delete", diff.deletes.length],
    ];
    for (const [label, n] of counts) {
        if (n > 0) {
            const [sym, ...rest] = label.split(" ");
            lines.push(`  ${sym} ${n} ${rest.join(" ")}`);
        }
    }
    lines.push(`  ${diff.unchanged} unchanged`);
    if (diff.notComparable.length > 0) {
        lines.push(`  ? ${diff.notComparable.length} not comparable`);
    }
    const section = (title: string, sym: string, refs: ResourceRef[]): void => {
        if (refs.length === 0) {
            return;
        }
        lines.push("");
        lines.push(`${title}:`);
        for (const r of refs) {
            lines.push(`  ${sym} ${r.type} ${r.name}`);
            const changes = (r as ResourceUpdate).changes;
            for (const c of changes ?? []) {
                lines.push(`      ${formatChange(c)}`);
            }
        }
    };
    section("Creates", "+", diff.creates);
    section("Updates", "~", diff.updates);
    section("Replacements", "+-", diff.replaces);
    section("Deletes", "-", diff.deletes);
    if (diff.notComparable.length > 0) {
        lines.push("");
        lines.push("Not comparable:");
        for (const r of diff.notComparable) {
            lines.push(`  ? ${r.type} ${r.name}: ${r.reason}`);
        }
    }
    lines.push("");
    if (diff.cost) {
        const d = diff.cost.deltaMonthlyUsd;
        lines.push(
            `Monthly cost: ${usd(diff.cost.baselineMonthlyUsd)} -> ${usd(diff.cost.currentMonthlyUsd)} (${d >= 0 ? "+" : ""}${usd(d)})`,
        );
    } else {
        lines.push("Monthly cost delta: not available (a document carries no cost estimate)");
    }
    return lines.join("\n");
}
