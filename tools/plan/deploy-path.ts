/**
 * The offline deploy-path check (DEP-1), run by the credential-free preview: from the rendered resources
 * and the declared deploy location (the stack output `deploy`), it proves what a first `pulumi up` needs
 * before any cloud call, in the manner of an offline Reachability Analyzer:
 *
 * - the runner runs inside a VPC, in subnets whose route table sends 0.0.0.0/0 to a NAT gateway that itself
 *   sits in a subnet routed to an internet gateway of the same VPC (a CodeBuild build gets no public IP, and
 *   it must reach GitHub and the AWS APIs);
 * - the deploying identity has an EKS access entry with AmazonEKSClusterAdminPolicy at cluster scope, and
 *   the cluster authenticates with access entries (authentication mode API or API_AND_CONFIG_MAP); the
 *   preview identity has a read access entry;
 * - the EKS endpoint has private access, and TCP 443 flows from the runner's subnets to the control-plane
 *   subnets; TCP 5432 (the instance's port) from the runner to the database subnets: same VPC, no route
 *   more specific than the VPC's local route diverting either direction, the runner's security groups allow
 *   the egress and the target's security groups admit it (inline rules, aws:vpc SecurityGroupIngressRule /
 *   EgressRule and aws:ec2 SecurityGroupRule resources alike).
 *
 * It fails closed: an unknown value, a network ACL (not analysed) or a reference to something not in the
 * render is a failure with a message naming it.
 */
import { PlanDocument, PlanResourceState } from "./types";

/** Exit code of `npm run plan` when the deploy path is broken (after 3, a mandatory policy violation). */
export const DEPLOY_PATH_EXIT = 4;

export interface DeployPathCheck {
    /** What was checked, e.g. `cluster bookbuddy-dev: network path on 443`. */
    name: string;
    ok: boolean;
    /** Why it holds, or what is missing and where. */
    detail: string;
}

export interface DeployPathResult {
    ok: boolean;
    /** `runner` (first deploy: network and runner only) or `full`. */
    phase?: string;
    runnerProject?: string;
    deployRoleArn?: string;
    checks: DeployPathCheck[];
}

/** The `deploy` stack output of the program (infra/index.ts). */
interface DeployOutput {
    phase?: string;
    runnerProject?: string;
    runnerSecurityGroupId?: string;
    deployRoleArn?: string;
    previewRoleArn?: string;
}

const T = {
    project: "aws:codebuild/project:Project",
    subnet: "aws:ec2/subnet:Subnet",
    vpc: "aws:ec2/vpc:Vpc",
    routeTable: "aws:ec2/routeTable:RouteTable",
    route: "aws:ec2/route:Route",
    association: "aws:ec2/routeTableAssociation:RouteTableAssociation",
    nat: "aws:ec2/natGateway:NatGateway",
    igw: "aws:ec2/internetGateway:InternetGateway",
    igwAttachment: "aws:ec2/internetGatewayAttachment:InternetGatewayAttachment",
    sg: "aws:ec2/securityGroup:SecurityGroup",
    sgRule: "aws:ec2/securityGroupRule:SecurityGroupRule",
    ingressRule: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
    egressRule: "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule",
    cluster: "aws:eks/cluster:Cluster",
    accessEntry: "aws:eks/accessEntry:AccessEntry",
    accessPolicy: "aws:eks/accessPolicyAssociation:AccessPolicyAssociation",
    db: "aws:rds/instance:Instance",
    dbSubnetGroup: "aws:rds/subnetGroup:SubnetGroup",
} as const;

const CLUSTER_ADMIN = "AmazonEKSClusterAdminPolicy";
const READ_POLICIES = ["AmazonEKSAdminViewPolicy", "AmazonEKSViewPolicy", "AmazonEKSAdminPolicy", CLUSTER_ADMIN];

type Props = Record<string, unknown>;

/** An IPv4 CIDR as an inclusive integer range. */
interface Range {
    cidr: string;
    start: number;
    end: number;
    prefix: number;
}

function parseCidr(cidr: unknown): Range | undefined {
    if (typeof cidr !== "string") return undefined;
    const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(cidr);
    if (!m) return undefined;
    const octets = m.slice(1, 5).map(Number);
    const prefix = Number(m[5]);
    if (octets.some((o) => o > 255) || prefix > 32) return undefined;
    const addr = octets.reduce((a, o) => a * 256 + o, 0);
    const size = 2 ** (32 - prefix);
    const start = addr - (addr % size);
    return { cidr, start, end: start + size - 1, prefix };
}

const contains = (outer: Range, inner: Range) => outer.start <= inner.start && inner.end <= outer.end;
const overlaps = (a: Range, b: Range) => a.start <= b.end && b.start <= a.end;

/** A problem that ends one check; the message is the check's detail. */
class Broken extends Error {}

function fail(message: string): never {
    throw new Broken(message);
}

/** Indexes the rendered resources by type and by provider ID. */
class Render {
    readonly all: PlanResourceState[];
    private readonly ids = new Map<string, PlanResourceState>();

    constructor(doc: PlanDocument) {
        this.all = doc.steps.map((s) => s.newState).filter((r): r is PlanResourceState => !!r);
        for (const r of this.all) {
            const id = r.outputs?.id;
            if (typeof id === "string") this.ids.set(id, r);
        }
    }

    ofType(type: string): PlanResourceState[] {
        return this.all.filter((r) => r.type === type);
    }

    /** The resource of a type with this ID, or a failure naming what referred to it. */
    byId(type: string, id: unknown, what: string): PlanResourceState {
        if (typeof id !== "string" || id === "[unknown]")
            fail(`${what} is not known offline (${JSON.stringify(id)}); the check fails closed`);
        const r = this.ids.get(id);
        if (!r || r.type !== type) fail(`${what} ${id} is not a ${type.split(":").pop()} of this stack`);
        return r;
    }
}

const nameOf = (r: PlanResourceState) => r.urn.split("::").pop() ?? r.urn;
const idOf = (r: PlanResourceState) => String(r.outputs?.id ?? nameOf(r));
const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : []);

/** A route of a route table, inline or as a separate aws.ec2.Route. */
interface Route {
    destination?: Range;
    natGatewayId?: string;
    gatewayId?: string;
    other?: string;
}

function routesOf(render: Render, table: PlanResourceState): Route[] {
    const toRoute = (r: Props): Route => {
        const destination = parseCidr(r.cidrBlock ?? r.destinationCidrBlock);
        const targetKeys = Object.keys(r).filter(
            (k) => /Id$/.test(k) && k !== "routeTableId" && r[k] !== undefined && r[k] !== "",
        );
        const other = targetKeys.filter((k) => k !== "natGatewayId" && k !== "gatewayId").join(", ") || undefined;
        return {
            destination,
            natGatewayId: r.natGatewayId as string | undefined,
            gatewayId: r.gatewayId as string | undefined,
            other,
        };
    };
    const inline = (Array.isArray(table.inputs.routes) ? (table.inputs.routes as Props[]) : []).map(toRoute);
    const separate = render
        .ofType(T.route)
        .filter((r) => r.inputs.routeTableId === table.outputs?.id)
        .map((r) => toRoute(r.inputs));
    return [...inline, ...separate];
}

/** The route table a subnet uses; a subnet without an association uses the VPC's main table (local route only). */
function routeTableOf(render: Render, subnet: PlanResourceState): PlanResourceState | undefined {
    const assoc = render.ofType(T.association).find((a) => a.inputs.subnetId === subnet.outputs?.id);
    return assoc ? render.byId(T.routeTable, assoc.inputs.routeTableId, `route table of subnet ${idOf(subnet)}`) : undefined;
}

/** One side of a flow: subnets and security groups. */
interface Endpoint {
    label: string;
    subnets: PlanResourceState[];
    securityGroupIds: string[];
}

function vpcCidr(render: Render, vpcId: unknown): Range {
    const vpc = render.byId(T.vpc, vpcId, "VPC");
    return parseCidr(vpc.inputs.cidrBlock) ?? fail(`VPC ${idOf(vpc)} has no IPv4 CIDR block`);
}

/** The runner's subnets reach the internet through a NAT gateway (GitHub's job queue, STS, the AWS APIs). */
function checkRunnerEgressRoute(render: Render, subnets: PlanResourceState[]): string {
    const via: string[] = [];
    for (const subnet of subnets) {
        const table = routeTableOf(render, subnet);
        if (!table)
            fail(
                `runner subnet ${idOf(subnet)} has no route table association: the VPC's main table has only the local route, so the runner never reaches GitHub or the AWS APIs`,
            );
        const defaultRoute = routesOf(render, table).find((r) => r.destination?.prefix === 0);
        if (!defaultRoute)
            fail(
                `runner subnet ${idOf(subnet)} (route table ${nameOf(table)}) has no route to 0.0.0.0/0: the runner never reaches GitHub or the AWS APIs`,
            );
        if (!defaultRoute.natGatewayId) {
            fail(
                `runner subnet ${idOf(subnet)} routes 0.0.0.0/0 to ${defaultRoute.gatewayId ?? defaultRoute.other ?? "nothing"}, not a NAT gateway: a CodeBuild build in a VPC gets no public IP`,
            );
        }
        const nat = render.byId(T.nat, defaultRoute.natGatewayId, `NAT gateway of runner subnet ${idOf(subnet)}`);
        if (nat.inputs.connectivityType === "private")
            fail(`NAT gateway ${idOf(nat)} is private: it does not reach the internet`);
        const natSubnet = render.byId(T.subnet, nat.inputs.subnetId, `subnet of NAT gateway ${idOf(nat)}`);
        const natTable =
            routeTableOf(render, natSubnet) ??
            fail(`the subnet ${idOf(natSubnet)} of NAT gateway ${idOf(nat)} has no route table association`);
        const out = routesOf(render, natTable).find((r) => r.destination?.prefix === 0);
        const igwId =
            out?.gatewayId ??
            fail(`the subnet ${idOf(natSubnet)} of NAT gateway ${idOf(nat)} has no 0.0.0.0/0 route to an internet gateway`);
        const igw = render.byId(T.igw, igwId, `internet gateway of NAT subnet ${idOf(natSubnet)}`);
        const attached =
            igw.inputs.vpcId === subnet.inputs.vpcId ||
            render
                .ofType(T.igwAttachment)
                .some((a) => a.inputs.internetGatewayId === igwId && a.inputs.vpcId === subnet.inputs.vpcId);
        if (!attached) fail(`internet gateway ${igwId} is not attached to the runner's VPC ${String(subnet.inputs.vpcId)}`);
        via.push(`${idOf(subnet)} → ${idOf(nat)} → ${igwId}`);
    }
    return `0.0.0.0/0 through NAT: ${via.join("; ")}`;
}

/** No route more specific than the local route sends `to` elsewhere from `from`'s route table. */
function checkLocalRoute(render: Render, from: PlanResourceState, to: PlanResourceState, vpc: Range): void {
    const target = parseCidr(to.inputs.cidrBlock) ?? fail(`subnet ${idOf(to)} has no IPv4 CIDR block`);
    if (!contains(vpc, target))
        fail(`subnet ${idOf(to)} (${target.cidr}) lies outside the VPC CIDR ${vpc.cidr}: no local route reaches it`);
    const table = routeTableOf(render, from);
    if (!table) return; // the main table: local route only
    for (const r of routesOf(render, table)) {
        if (r.destination && r.destination.prefix > vpc.prefix && overlaps(r.destination, target)) {
            fail(
                `route table ${nameOf(table)} of subnet ${idOf(from)} sends ${r.destination.cidr} (overlapping ${idOf(to)}, ${target.cidr}) to ${r.natGatewayId ?? r.gatewayId ?? r.other ?? "a target"} instead of the local route`,
            );
        }
    }
}

/** A security-group rule in one normal form. */
interface SgRule {
    where: string;
    direction: "ingress" | "egress";
    securityGroupId: string;
    protocol: string;
    fromPort: number;
    toPort: number;
    cidrs: string[];
    groups: string[];
    self: boolean;
}

function securityGroupRules(render: Render): SgRule[] {
    const rules: SgRule[] = [];
    const num = (v: unknown, fallback: number) =>
        typeof v === "number" ? v : typeof v === "string" && /^-?\d+$/.test(v) ? Number(v) : fallback;
    for (const sg of render.ofType(T.sg)) {
        const id = String(sg.outputs?.id);
        for (const direction of ["ingress", "egress"] as const) {
            const list = Array.isArray(sg.inputs[direction]) ? (sg.inputs[direction] as Props[]) : [];
            list.forEach((r, i) =>
                rules.push({
                    where: `${nameOf(sg)} ${direction}[${i}]`,
                    direction,
                    securityGroupId: id,
                    protocol: String(r.protocol ?? ""),
                    fromPort: num(r.fromPort, 0),
                    toPort: num(r.toPort, 65535),
                    cidrs: strings(r.cidrBlocks),
                    groups: strings(r.securityGroups),
                    self: r.self === true,
                }),
            );
        }
    }
    for (const [type, direction] of [
        [T.ingressRule, "ingress"],
        [T.egressRule, "egress"],
    ] as const) {
        for (const r of render.ofType(type)) {
            const p = r.inputs;
            rules.push({
                where: nameOf(r),
                direction,
                securityGroupId: String(p.securityGroupId),
                protocol: String(p.ipProtocol ?? ""),
                fromPort: num(p.fromPort, 0),
                toPort: num(p.toPort, 65535),
                cidrs: strings([p.cidrIpv4]),
                groups: strings([p.referencedSecurityGroupId]),
                self: false,
            });
        }
    }
    for (const r of render.ofType(T.sgRule)) {
        const p = r.inputs;
        rules.push({
            where: nameOf(r),
            direction: p.type === "egress" ? "egress" : "ingress",
            securityGroupId: String(p.securityGroupId),
            protocol: String(p.protocol ?? ""),
            fromPort: num(p.fromPort, 0),
            toPort: num(p.toPort, 65535),
            cidrs: strings(p.cidrBlocks),
            groups: strings([p.sourceSecurityGroupId]),
            self: p.self === true,
        });
    }
    return rules;
}

function allowsTcpPort(rule: SgRule, port: number): boolean {
    const p = rule.protocol.toLowerCase();
    if (p === "-1" || p === "all") return true;
    if (p !== "tcp" && p !== "6") return false;
    return rule.fromPort <= port && port <= rule.toPort;
}

/** The rule names the peer: one of its security groups, itself, or a CIDR covering each of its subnets. */
function namesPeer(rule: SgRule, peer: Endpoint): boolean {
    if (rule.groups.some((g) => peer.securityGroupIds.includes(g))) return true;
    if (rule.self && peer.securityGroupIds.includes(rule.securityGroupId)) return true;
    const cidrs = rule.cidrs.map(parseCidr).filter((c): c is Range => !!c);
    return peer.subnets.every((s) => {
        const net = parseCidr(s.inputs.cidrBlock);
        return !!net && cidrs.some((c) => contains(c, net));
    });
}

/** TCP `port` from `src` to `dst`: same VPC, local routes both ways, egress allowed, ingress admitted. */
function checkFlow(render: Render, rules: SgRule[], src: Endpoint, dst: Endpoint, port: number): string {
    if (src.subnets.length === 0) fail(`${src.label} has no subnets`);
    if (dst.subnets.length === 0) fail(`${dst.label} has no subnets`);
    const vpcs = new Set([...src.subnets, ...dst.subnets].map((s) => String(s.inputs.vpcId)));
    if (vpcs.size !== 1) {
        fail(
            `${src.label} (subnets ${src.subnets.map(idOf).join(", ")}) and ${dst.label} (subnets ${dst.subnets.map(idOf).join(", ")}) are in different VPCs (${[...vpcs].join(", ")}); no peering or transit route is declared`,
        );
    }
    const vpc = vpcCidr(render, [...vpcs][0]);
    for (const s of src.subnets)
        for (const d of dst.subnets) {
            checkLocalRoute(render, s, d, vpc);
            checkLocalRoute(render, d, s, vpc);
        }
    for (const sgId of [...src.securityGroupIds, ...dst.securityGroupIds]) {
        const sg = render.byId(T.sg, sgId, "security group");
        if (!vpcs.has(String(sg.inputs.vpcId)))
            fail(`security group ${nameOf(sg)} belongs to VPC ${String(sg.inputs.vpcId)}, not ${[...vpcs][0]}`);
    }
    if (src.securityGroupIds.length === 0) fail(`${src.label} has no security group`);
    if (dst.securityGroupIds.length === 0) fail(`${dst.label} has no security group`);
    const egress = rules.find(
        (r) =>
            r.direction === "egress" &&
            src.securityGroupIds.includes(r.securityGroupId) &&
            allowsTcpPort(r, port) &&
            namesPeer(r, dst),
    );
    if (!egress)
        fail(
            `no egress rule of ${src.label}'s security groups (${src.securityGroupIds.join(", ")}) allows TCP ${port} to ${dst.label}'s security groups or subnets`,
        );
    const ingress = rules.find(
        (r) =>
            r.direction === "ingress" &&
            dst.securityGroupIds.includes(r.securityGroupId) &&
            allowsTcpPort(r, port) &&
            namesPeer(r, src),
    );
    if (!ingress)
        fail(
            `no ingress rule of ${dst.label}'s security groups (${dst.securityGroupIds.join(", ")}) admits TCP ${port} from ${src.label}'s security groups or subnets`,
        );
    return `TCP ${port} ${src.label} → ${dst.label}: local route in ${[...vpcs][0]}, egress ${egress.where}, ingress ${ingress.where}`;
}

/** Runs every check on a rendered stack. */
export function checkDeployPath(doc: PlanDocument): DeployPathResult {
    const render = new Render(doc);
    const checks: DeployPathCheck[] = [];
    const run = (name: string, body: () => string) => {
        try {
            checks.push({ name, ok: true, detail: body() });
        } catch (e) {
            if (!(e instanceof Broken)) throw e;
            checks.push({ name, ok: false, detail: e.message });
        }
    };
    const deploy = (doc.outputs?.deploy ?? undefined) as DeployOutput | undefined;
    const result = (): DeployPathResult => ({
        ok: checks.every((c) => c.ok),
        phase: deploy?.phase,
        runnerProject: deploy?.runnerProject,
        deployRoleArn: deploy?.deployRoleArn,
        checks,
    });

    if (!deploy && render.ofType(T.cluster).length === 0 && render.ofType(T.db).length === 0) {
        // Nothing private to reach (e.g. a small project rendered with --cwd): nothing to prove.
        checks.push({
            name: "deploy location",
            ok: true,
            detail: "no EKS cluster or RDS instance is rendered and no deploy location is declared: nothing private to reach",
        });
        return result();
    }
    if (!deploy || typeof deploy.runnerProject !== "string" || typeof deploy.deployRoleArn !== "string") {
        checks.push({
            name: "deploy location declared",
            ok: false,
            detail: "the stack exports no `deploy` output with runnerProject and deployRoleArn: nothing says where `pulumi up` runs or as whom",
        });
        return result();
    }

    // Network ACLs are not modelled: declaring one makes the check fail rather than pass unexamined.
    const acls = render.all.filter((r) => /^aws:ec2\/(networkAcl|defaultNetworkAcl)/.test(r.type));
    if (acls.length > 0) {
        checks.push({
            name: "network ACLs",
            ok: false,
            detail: `network ACLs are declared (${acls.map(nameOf).join(", ")}); this check does not evaluate them, so it cannot prove the path`,
        });
    }

    let runner: Endpoint | undefined;
    run(`runner ${deploy.runnerProject}: in the VPC, with a way out`, () => {
        const project =
            render.ofType(T.project).find((p) => p.inputs.name === deploy.runnerProject) ??
            fail(`no CodeBuild project named ${deploy.runnerProject} is declared`);
        const vpc = project.inputs.vpcConfig as Props | undefined;
        if (!vpc)
            fail(
                `CodeBuild project ${deploy.runnerProject} has no vpcConfig: its builds run outside the VPC and cannot reach private endpoints`,
            );
        const subnets = strings(vpc.subnets).map((id) => render.byId(T.subnet, id, `runner subnet`));
        const securityGroupIds = strings(vpc.securityGroupIds);
        for (const s of subnets)
            if (s.inputs.vpcId !== vpc.vpcId)
                fail(
                    `runner subnet ${idOf(s)} is in VPC ${String(s.inputs.vpcId)}, but the project's vpcConfig names ${String(vpc.vpcId)}`,
                );
        runner = { label: `runner ${deploy.runnerProject}`, subnets, securityGroupIds };
        return checkRunnerEgressRoute(render, subnets);
    });

    const clusters = render.ofType(T.cluster);
    const databases = render.ofType(T.db);
    if (deploy.phase === "runner") {
        checks.push({
            name: "first-deploy phase",
            ok: true,
            detail: `deploy.phase is runner: ${clusters.length} clusters and ${databases.length} databases to reach yet`,
        });
    } else if (clusters.length === 0) {
        checks.push({
            name: "cluster present",
            ok: false,
            detail: "no EKS cluster is rendered, so no access entry or API path can be proven",
        });
    }
    const rules = securityGroupRules(render);

    for (const cluster of clusters) {
        const clusterName = String(cluster.inputs.name ?? nameOf(cluster));
        run(`cluster ${clusterName}: deploying identity is cluster admin`, () => {
            const mode = (cluster.inputs.accessConfig as Props | undefined)?.authenticationMode;
            if (mode !== "API" && mode !== "API_AND_CONFIG_MAP")
                fail(
                    `cluster ${clusterName} authenticates with ${JSON.stringify(mode ?? "CONFIG_MAP")}: access entries need API or API_AND_CONFIG_MAP`,
                );
            const identity = deploy.deployRoleArn!;
            const entry = render
                .ofType(T.accessEntry)
                .find((e) => e.inputs.clusterName === clusterName && e.inputs.principalArn === identity);
            if (!entry)
                fail(
                    `no access entry on cluster ${clusterName} for the deploying identity ${identity}: every kubernetes:* resource would be refused`,
                );
            if (entry.inputs.type !== undefined && entry.inputs.type !== "STANDARD")
                fail(
                    `the access entry ${nameOf(entry)} has type ${String(entry.inputs.type)}, not STANDARD: access policies cannot be associated`,
                );
            const association = render
                .ofType(T.accessPolicy)
                .find(
                    (a) =>
                        a.inputs.clusterName === clusterName &&
                        a.inputs.principalArn === identity &&
                        String(a.inputs.policyArn).endsWith(`:cluster-access-policy/${CLUSTER_ADMIN}`),
                );
            if (!association)
                fail(
                    `the deploying identity ${identity} has an access entry on ${clusterName} but no ${CLUSTER_ADMIN} association`,
                );
            const scope = (association.inputs.accessScope as Props | undefined)?.type;
            if (scope !== "cluster")
                fail(
                    `${nameOf(association)} grants ${CLUSTER_ADMIN} at ${JSON.stringify(scope)} scope, not cluster scope: cluster-wide resources would be refused`,
                );
            return `${nameOf(entry)} + ${nameOf(association)} (${CLUSTER_ADMIN}, cluster scope) for ${identity}`;
        });
        if (typeof deploy.previewRoleArn === "string") {
            run(`cluster ${clusterName}: preview identity can read`, () => {
                const identity = deploy.previewRoleArn!;
                const entry = render
                    .ofType(T.accessEntry)
                    .find((e) => e.inputs.clusterName === clusterName && e.inputs.principalArn === identity);
                if (!entry)
                    fail(
                        `no access entry on cluster ${clusterName} for the preview identity ${identity}: trusted previews and drift checks would be refused`,
                    );
                const association = render
                    .ofType(T.accessPolicy)
                    .find(
                        (a) =>
                            a.inputs.clusterName === clusterName &&
                            a.inputs.principalArn === identity &&
                            READ_POLICIES.some((p) => String(a.inputs.policyArn).endsWith(`:cluster-access-policy/${p}`)),
                    );
                if (!association) fail(`the preview identity ${identity} has no view policy association on ${clusterName}`);
                return `${nameOf(entry)} + ${String(association.inputs.policyArn).split("/").pop()} for ${identity}`;
            });
        }
        run(`cluster ${clusterName}: API endpoint reachable from the runner on 443`, () => {
            const vpcConfig = (cluster.inputs.vpcConfig ?? {}) as Props;
            if (vpcConfig.endpointPrivateAccess !== true)
                fail(
                    `cluster ${clusterName} has endpointPrivateAccess ${JSON.stringify(vpcConfig.endpointPrivateAccess ?? false)}: the API server has no address inside the VPC for the runner`,
                );
            if (!runner) fail("the runner is not usable (see above)");
            const target: Endpoint = {
                label: `cluster ${clusterName} control plane`,
                subnets: strings(vpcConfig.subnetIds).map((id) =>
                    render.byId(T.subnet, id, `control-plane subnet of ${clusterName}`),
                ),
                securityGroupIds: strings(vpcConfig.securityGroupIds),
            };
            return checkFlow(render, rules, runner, target, 443);
        });
    }

    for (const db of databases) {
        const ident = String(db.inputs.identifier ?? nameOf(db));
        const port = typeof db.inputs.port === "number" ? db.inputs.port : 5432;
        run(`database ${ident}: reachable from the runner on ${port}`, () => {
            if (!runner) fail("the runner is not usable (see above)");
            const group =
                render.ofType(T.dbSubnetGroup).find((g) => g.inputs.name === db.inputs.dbSubnetGroupName) ??
                fail(`the DB subnet group ${String(db.inputs.dbSubnetGroupName)} of ${ident} is not declared`);
            const target: Endpoint = {
                label: `database ${ident}`,
                subnets: strings(group.inputs.subnetIds).map((id) => render.byId(T.subnet, id, `database subnet of ${ident}`)),
                securityGroupIds: strings(db.inputs.vpcSecurityGroupIds),
            };
            return checkFlow(render, rules, runner, target, port);
        });
    }
    return result();
}

/** The printout section, like the policy summary. */
export function formatDeployPath(result: DeployPathResult): string {
    const head = `Deploy path (DEP-1): runner ${result.runnerProject ?? "(none)"}, deploying identity ${result.deployRoleArn ?? "(none)"}${result.phase ? `, phase ${result.phase}` : ""}`;
    const lines = [head];
    for (const c of result.checks) lines.push(`  [${c.ok ? "ok" : "FAIL"}] ${c.name}`, `      ${c.detail}`);
    const failed = result.checks.filter((c) => !c.ok).length;
    lines.push(
        "",
        failed === 0 ? "Deploy path: proven" : `Deploy path: broken (${failed} of ${result.checks.length} checks failed)`,
    );
    return lines.join("\n");
}
