/**
 * Architecture diagram of a stack, drawn from a preview's resource graph (DOC-1).
 *
 * Component resources (custom=false) become Graphviz clusters, nested as the components are (sibling
 * components of one type without nested components, e.g. one per KMS key, share a cluster); the cloud
 * and Kubernetes resources inside a component are grouped into one node per resource type with a
 * count; noisy low-level types (policy attachments, security-group rules, routes, bucket settings,
 * aliases...) are left out of the summary picture and counted in their component's label. Edges join
 * components whose resources reference each other (dependencies and property dependencies),
 * deduplicated: `A -> B` reads "A uses B".
 *
 * Rendering uses @viz-js/viz (Graphviz compiled to WebAssembly): no browser, no native binary. Works on
 * either preview format (offline JSON or `pulumi preview --json`) through the same normalisation as the
 * baseline diff.
 */
import { instance, Viz } from "@viz-js/viz";
import { normalisePlan, urnName } from "../plan/normalise";
import { PlanDocument } from "../plan/types";

export interface DiagramOptions {
    /** Title drawn above the graph; default: `<project> / <stack>` from the document. */
    title?: string;
    /** `summary` (default) leaves out low-level types; `full` draws every resource type. */
    detail?: "summary" | "full" | "components";
    /** Graphviz rank direction; default `LR`. */
    rankdir?: "LR" | "TB";
}

/**
 * Low-level types left out of the summary picture: they refine a resource drawn beside them
 * (attachments, rules, associations, settings sub-resources, aliases, versions, policies).
 */
const NOISE: RegExp[] = [
    /^pulumi:providers:/,
    /^random:/,
    /^aws:iam\//,
    /^aws:ec2\/(securityGroupRule|route|routeTableAssociation|mainRouteTableAssociation|defaultSecurityGroup|defaultNetworkAcl|defaultRouteTable|tag):/,
    /^aws:vpc\/securityGroup(Ingress|Egress)Rule:/,
    /^aws:s3\/bucket(PublicAccessBlock|Versioning|ServerSideEncryptionConfiguration|LifecycleConfiguration|OwnershipControls|Logging|Policy|CorsConfiguration|Acl|Notification|ObjectLockConfiguration|Replication(Configuration)?)(V2)?:/,
    /^aws:kms\/alias:/,
    /^aws:secretsmanager\/(secretVersion|secretRotation|secretPolicy):/,
    /^aws:eks\/accessPolicyAssociation:/,
    /^aws:cloudwatch\/(logResourcePolicy|logSubscriptionFilter|eventTarget):/,
    /^aws:ecr\/(lifecyclePolicy|repositoryPolicy):/,
    /^aws:sns\/topicPolicy:/,
    /^aws:backup\/(vaultLockConfiguration|vaultNotifications|vaultPolicy):/,
    /^aws:wafv2\/(webAclAssociation|webAclLoggingConfiguration):/,
    /^aws:lambda\/permission:/,
    /^kubernetes:rbac\.authorization\.k8s\.io\//,
    /^kubernetes:core\/v1:(ConfigMap|Secret|ServiceAccount):/,
];

const DATA_STORES = [
    /^aws:rds\/instance:/,
    /^aws:elasticache\/replicationGroup:/,
    /^aws:s3\/bucket(V2)?:/,
    /^aws:backup\/vault:/,
];

interface Group {
    id: string;
    type: string;
    names: string[];
}

interface ClusterInfo {
    id: string;
    anchor: string;
    /** Component type token. */
    type: string;
    /** Component URNs drawn as this cluster (several for merged sibling components of one type). */
    members: string[];
    /** Keys of nested clusters. */
    children: string[];
    groups: Group[];
    omitted: number;
}

function typeName(type: string): string {
    return type.slice(type.lastIndexOf(":") + 1);
}

/** Quotes a DOT string (double-quoted ID): backslashes and quotes escaped, newlines as `\\n`. */
function q(text: string): string {
    return `"${text.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\r?\n/g, "\\n")}"`;
}

/** `aws:rds/instance:Instance` -> { name: "Instance", module: "aws rds" }; k8s -> "k8s apps/v1". */
function typeLabel(type: string): { name: string; module: string } {
    const [pkg, mod = "", name = type] = type.split(":");
    if (pkg === "kubernetes") {
        return { name, module: `k8s ${mod}` };
    }
    return { name, module: `${pkg} ${mod.split("/")[0]}` };
}

function fill(type: string): string {
    if (type.startsWith("aws:")) {
        return "#fdf1e3";
    }
    if (type.startsWith("kubernetes:")) {
        return "#e6effc";
    }
    return "#f2f2f2";
}

/** Builds the DOT source of the diagram; deterministic for a given document and options. */
export function buildDot(doc: PlanDocument, options: DiagramOptions = {}): string {
    const detail = options.detail ?? "summary";
    const plan = normalisePlan(doc);
    const all = plan.resources;
    const components = [...all.values()].filter((r) => !r.custom && r.type !== "pulumi:pulumi:Stack").map((r) => r.urn);
    const componentSet = new Set(components);

    /** The nearest enclosing component of a resource (itself for a component). */
    const componentOf = (urn: string): string | undefined => {
        let cur = all.get(urn);
        const seen = new Set<string>();
        while (cur && !seen.has(cur.urn)) {
            seen.add(cur.urn);
            if (componentSet.has(cur.urn)) {
                return cur.urn;
            }
            cur = cur.parent ? all.get(cur.parent) : undefined;
        }
        return undefined;
    };
    const parentComponent = (urn: string): string | undefined => {
        const res = all.get(urn);
        return res?.parent ? componentOf(res.parent) : undefined;
    };

    // Sibling leaf components of one type (e.g. five EncryptionKey components) merge into one cluster.
    const hasChildComponent = new Set(components.map(parentComponent).filter((u): u is string => !!u));
    const siblingKey = (urn: string): string => `${parentComponent(urn) ?? ""}|${all.get(urn)!.type}`;
    const leafSiblings = new Map<string, number>();
    for (const urn of components) {
        if (!hasChildComponent.has(urn)) {
            leafSiblings.set(siblingKey(urn), (leafSiblings.get(siblingKey(urn)) ?? 0) + 1);
        }
    }
    const keyOf = new Map<string, string>();
    for (const urn of components) {
        const merged = !hasChildComponent.has(urn) && (leafSiblings.get(siblingKey(urn)) ?? 0) > 1;
        keyOf.set(urn, merged ? `merged|${siblingKey(urn)}` : urn);
    }
    const clusters = new Map<string, ClusterInfo>();
    for (const urn of components) {
        const key = keyOf.get(urn)!;
        let info = clusters.get(key);
        if (!info) {
            const i = clusters.size;
            info = {
                id: `cluster_${i}`,
                anchor: `anchor_${i}`,
                type: all.get(urn)!.type,
                members: [],
                children: [],
                groups: [],
                omitted: 0,
            };
            clusters.set(key, info);
        }
        info.members.push(urn);
    }
    /** The cluster key a resource is drawn in. */
    const ownerOf = (urn: string): string | undefined => {
        const comp = componentOf(urn);
        return comp ? keyOf.get(comp) : undefined;
    };
    const parentOfCluster = (key: string): string | undefined => {
        const parent = parentComponent(clusters.get(key)!.members[0]);
        return parent ? keyOf.get(parent) : undefined;
    };
    const topClusters: string[] = [];
    for (const key of clusters.keys()) {
        const parent = parentOfCluster(key);
        if (parent) {
            clusters.get(parent)!.children.push(key);
        } else {
            topClusters.push(key);
        }
    }
    const clusterName = (info: ClusterInfo): string =>
        info.members.length > 1
            ? `${typeName(info.type)} ×${info.members.length}`
            : `${typeName(info.type)} ${urnName(info.members[0])}`;

    // Group custom resources by (owner, type).
    const rootGroups: Group[] = [];
    const groupIndex = new Map<string, Group>();
    const nodeOf = new Map<string, string>();
    let g = 0;
    for (const res of all.values()) {
        if (!res.custom) {
            continue;
        }
        const owner = ownerOf(res.urn);
        if (detail !== "full" && NOISE.some((re) => re.test(res.type))) {
            if (owner) {
                clusters.get(owner)!.omitted++;
            }
            continue;
        }
        const key = `${owner ?? ""}|${res.type}`;
        let group = groupIndex.get(key);
        if (!group) {
            group = { id: `n${g++}`, type: res.type, names: [] };
            groupIndex.set(key, group);
            (owner ? clusters.get(owner)!.groups : rootGroups).push(group);
        }
        group.names.push(urnName(res.urn));
        nodeOf.set(res.urn, group.id);
    }

    const title = options.title ?? (doc.offline ? `${doc.offline.project} / ${doc.offline.stack}` : "architecture");
    if (detail === "components") {
        return componentDot(title, options, all, topClusters, clusters, parentOfCluster, ownerOf, componentOf);
    }
    const lines: string[] = [];
    lines.push("digraph architecture {");
    lines.push(
        `  graph [compound=true, rankdir=${options.rankdir ?? "LR"}, fontname="Helvetica", fontsize=12, labelloc=t, nodesep=0.25, ranksep=0.9, label=${q(`${title}\ncomponents as boxes; arrow A -> B: A uses B`)}];`,
    );
    lines.push('  node [fontname="Helvetica", fontsize=10, shape=box, style="rounded,filled", color="#888888"];');
    lines.push('  edge [fontname="Helvetica", fontsize=9, color="#555555", arrowsize=0.7];');

    const groupNode = (grp: Group, indent: string): string => {
        const { name, module } = typeLabel(grp.type);
        const count = grp.names.length;
        const label = count === 1 ? `${name}\n${grp.names[0]}\n${module}` : `${name} ×${count}\n${module}`;
        const shape = DATA_STORES.some((re) => re.test(grp.type)) ? "cylinder" : "box";
        const style = shape === "cylinder" ? "filled" : "rounded,filled";
        return `${indent}${grp.id} [label=${q(label)}, shape=${shape}, style=${q(style)}, fillcolor=${q(fill(grp.type))}, tooltip=${q(`${grp.type}: ${grp.names.join(", ")}`)}];`;
    };
    const emit = (key: string, depth: number): void => {
        const info = clusters.get(key)!;
        const pad = "  ".repeat(depth + 1);
        const omitted = info.omitted > 0 ? `\n(+${info.omitted} low-level resource${info.omitted === 1 ? "" : "s"})` : "";
        const names = info.members.map(urnName);
        const listed = names.length <= 6 ? `\n${names.join("\n")}` : "";
        const head = info.members.length > 1 ? `${typeName(info.type)} ×${names.length}${listed}` : names[0];
        lines.push(`${pad}subgraph ${info.id} {`);
        lines.push(
            `${pad}  label=${q(`${head}\n${info.type}${omitted}`)}; tooltip=${q(`${info.type}: ${names.join(", ")}`)}; style="rounded"; color="#4a6fa5"; fontsize=11;`,
        );
        lines.push(`${pad}  ${info.anchor} [shape=point, style=invis, width=0.01, height=0.01, label=""];`);
        for (const grp of info.groups) {
            lines.push(groupNode(grp, `${pad}  `));
        }
        for (const child of info.children) {
            emit(child, depth + 1);
        }
        lines.push(`${pad}}`);
    };
    for (const key of topClusters) {
        emit(key, 0);
    }
    for (const grp of rootGroups) {
        lines.push(groupNode(grp, "  "));
    }

    // Edges between components (or root-level nodes), deduplicated.
    type End = { cluster?: string; node: string; name: string };
    const endOf = (urn: string): End | undefined => {
        const owner = ownerOf(urn);
        if (owner) {
            const info = clusters.get(owner)!;
            return { cluster: owner, node: info.anchor, name: clusterName(info) };
        }
        const node = nodeOf.get(urn);
        return node ? { node, name: `${typeName(all.get(urn)!.type)} ${urnName(urn)}` } : undefined;
    };
    const ancestorOf = (a: string, b: string): boolean => {
        let cur = parentOfCluster(b);
        while (cur) {
            if (cur === a) {
                return true;
            }
            cur = parentOfCluster(cur);
        }
        return false;
    };
    const edges = new Map<string, { from: End; to: End; count: number }>();
    for (const res of all.values()) {
        const deps = new Set([...res.dependencies, ...Object.values(res.propertyDependencies).flat()]);
        const from = endOf(res.urn);
        if (!from) {
            continue;
        }
        for (const dep of [...deps].sort()) {
            const to = endOf(dep);
            if (!to || to.node === from.node) {
                continue;
            }
            if (from.cluster && to.cluster && (ancestorOf(from.cluster, to.cluster) || ancestorOf(to.cluster, from.cluster))) {
                continue;
            }
            const key = `${from.node}->${to.node}`;
            const edge = edges.get(key) ?? { from, to, count: 0 };
            edge.count++;
            edges.set(key, edge);
        }
    }
    for (const key of [...edges.keys()].sort()) {
        const { from, to, count } = edges.get(key)!;
        const attrs: string[] = [];
        if (from.cluster) {
            attrs.push(`ltail=${clusters.get(from.cluster)!.id}`);
        }
        if (to.cluster) {
            attrs.push(`lhead=${clusters.get(to.cluster)!.id}`);
        }
        attrs.push(`tooltip=${q(`${from.name} uses ${to.name} (${count} reference${count === 1 ? "" : "s"})`)}`);
        attrs.push(`penwidth=${(1 + Math.min(count, 8) * 0.15).toFixed(2)}`);
        lines.push(`  ${from.node} -> ${to.node} [${attrs.join(", ")}];`);
    }
    lines.push("}");
    return `${lines.join("\n")}\n`;
}

/** The layers of the overview, top to bottom, and the two groups drawn aside (DOC-1). First match wins. */
export const LAYERS: { id: string; title: string; aside?: boolean; match: RegExp }[] = [
    { id: "edge", title: "Edge", match: /^bookbuddy:(edge|cdn):|^bookbuddy:security:WebFirewall$/ },
    { id: "application", title: "Application", match: /^bookbuddy:(app|release|maintenance):/ },
    { id: "data", title: "Data", match: /^bookbuddy:(data|storage|backup|dr):/ },
    // The deploy runner is platform: it is how the stack is delivered, not part of what it serves.
    { id: "platform", title: "Platform", match: /^bookbuddy:(network|platform|deploy):/ },
    {
        id: "observability",
        title: "Observability",
        aside: true,
        match: /^bookbuddy:(monitoring|logging|alarms|health|observability):/,
    },
    { id: "security", title: "Security", aside: true, match: /^bookbuddy:security:/ },
];

/**
 * Components many others use: drawn once in the legend and named as badges on their users, never as arrows.
 * `kind` groups the badges on a node (`keys: data logs`, `topic: alerts`); `resource` is the type whose
 * `description` input explains the badge in the legend.
 */
export const SHARED: { match: RegExp; kind: string; what: string; resource: string }[] = [
    {
        match: /^bookbuddy:security:EncryptionKey$/,
        kind: "keys",
        what: "KMS keys (EncryptionKey), one per use",
        resource: "aws:kms/key:Key",
    },
    { match: /^bookbuddy:alarms:AlertTopic$/, kind: "topic", what: "SNS topics (AlertTopic)", resource: "aws:sns/topic:Topic" },
];

/** Characters per label line; labels wrap at word boundaries so no line outgrows its box. */
const LABEL_WIDTH = 22;

function wrap(text: string, width = LABEL_WIDTH): string[] {
    const out: string[] = [];
    let line = "";
    for (const word of text.split(/\s+/).filter(Boolean)) {
        const next = line ? `${line} ${word}` : word;
        if (next.length > width && line) {
            out.push(line);
            line = word;
        } else {
            line = next;
        }
    }
    if (line) out.push(line);
    return out.flatMap((l) => (l.length > width ? splitWord(l, width) : [l]));
}

/** A word longer than a line, broken where a capital starts a new part (`DatabaseBackup` / `Replication`). */
function splitWord(word: string, width: number): string[] {
    const parts = word.split(/(?=[A-Z][a-z])/);
    const out: string[] = [];
    let line = "";
    for (const part of parts) {
        if (line && line.length + part.length > width) {
            out.push(line);
            line = part;
        } else {
            line += part;
        }
    }
    if (line) out.push(line);
    return out.flatMap((l) => (l.length > width ? l.match(new RegExp(`.{1,${width}}`, "g"))! : [l]));
}

/** The short name of a component for badges: its logical name without the stack prefix. */
function shortName(urn: string, prefix: string): string {
    const name = urnName(urn);
    if (prefix && name === prefix) return "";
    return prefix && name.startsWith(`${prefix}-`) ? name.slice(prefix.length + 1) : name;
}

/**
 * The overview (`--detail components`, the README's diagram): one node per top-level component in layers, edge ->
 * application -> data -> platform (the deploy runner included), with observability and security aside; components
 * used by many (encryption keys, the alert topic) appear as badges on each user (`keys: data logs`, `topic: alerts`)
 * and once in a legend saying what each is for, instead of as arrows. Arrows join only components of the four
 * layers: `A -> B` reads "A uses B". A component type no layer matches is an error (a test renders every stack).
 */
function componentDot(
    title: string,
    options: DiagramOptions,
    all: Map<
        string,
        {
            urn: string;
            type: string;
            custom: boolean;
            parent?: string;
            inputs?: Record<string, unknown>;
            dependencies: string[];
            propertyDependencies: Record<string, string[]>;
        }
    >,
    topClusters: string[],
    clusters: Map<string, ClusterInfo>,
    parentOfCluster: (key: string) => string | undefined,
    ownerOf: (urn: string) => string | undefined,
    componentOf: (urn: string) => string | undefined,
): string {
    const topOf = (key: string): string => {
        let cur = key;
        for (let up = parentOfCluster(cur); up; up = parentOfCluster(cur)) cur = up;
        return cur;
    };
    const ids = new Map(topClusters.map((key, i) => [key, `c${i}`]));
    const layerOf = (key: string) => LAYERS.find((l) => l.match.test(clusters.get(key)!.type));
    const sharedOf = (key: string) => SHARED.find((sh) => sh.match.test(clusters.get(key)!.type));
    // The common name prefix of the stack's components (e.g. `bookbuddy-prod`), left out of labels.
    const stackPrefix = (() => {
        const names = topClusters.flatMap((k) => clusters.get(k)!.members.map(urnName));
        let prefix = names[0] ?? "";
        for (const n of names) while (!n.startsWith(prefix)) prefix = prefix.slice(0, -1);
        return prefix.replace(/-+$/, "");
    })();

    // Which components each component uses, at the top level; and which shared components (the exact member, not
    // the merged cluster of all keys) it takes a value from, for its badges.
    const uses = new Map<string, Set<string>>();
    const sharedUsed = new Map<string, Set<string>>();
    for (const res of all.values()) {
        const owner = ownerOf(res.urn);
        if (!owner) continue;
        const from = topOf(owner);
        // Property dependencies only: a value of B flows into A. Plain `dependsOn` ordering is not use.
        for (const dep of Object.values(res.propertyDependencies).flat()) {
            const depOwner = ownerOf(dep);
            if (!depOwner) continue;
            const to = topOf(depOwner);
            const member = componentOf(dep);
            // A shared component nested in this very component (the audit trail's own key) is no shared use.
            if (member && sharedOf(depOwner) && to !== from) {
                if (!sharedUsed.has(from)) sharedUsed.set(from, new Set());
                sharedUsed.get(from)!.add(member);
            }
            if (to !== from) {
                if (!uses.has(from)) uses.set(from, new Set());
                uses.get(from)!.add(to);
            }
        }
    }
    // Badges: per shared kind, the short names of the shared components a component uses (`keys: data logs`).
    const badgesOf = (key: string): string[] => {
        const byKind = new Map<string, Set<string>>();
        for (const member of sharedUsed.get(key) ?? []) {
            const shared = SHARED.find((sh) => sh.match.test(all.get(member)!.type))!;
            if (!byKind.has(shared.kind)) byKind.set(shared.kind, new Set());
            byKind.get(shared.kind)!.add(shortName(member, stackPrefix) || typeName(all.get(member)!.type));
        }
        return SHARED.filter((sh) => byKind.has(sh.kind)).map(
            (sh) => `${sh.kind}: ${[...byKind.get(sh.kind)!].sort().join(" ")}`,
        );
    };
    const label = (key: string): string => {
        const info = clusters.get(key)!;
        const counts = new Map<string, number>();
        const collect = (k: string): void => {
            const c = clusters.get(k)!;
            for (const grp of c.groups) counts.set(grp.type, (counts.get(grp.type) ?? 0) + grp.names.length);
            c.children.forEach(collect);
        };
        collect(key);
        const total = [...counts.values()].reduce((n, c) => n + c, 0);
        const kinds = [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).slice(0, 2);
        const name =
            info.members.length > 1
                ? `${typeName(info.type)} ×${info.members.length}`
                : `${typeName(info.type)} ${shortName(info.members[0], stackPrefix)}`.trim();
        const lines = [
            ...wrap(name),
            ...wrap(`${kinds.map(([type, c]) => `${typeLabel(type).name}${c > 1 ? ` ×${c}` : ""}`).join(", ")} (${total})`),
        ];
        for (const badge of badgesOf(key)) lines.push(...wrap(badge));
        return lines.join("\n");
    };
    /** The legend line of one shared component: its short name and what it is for (its resource's description, up to a colon). */
    const legendLine = (key: string, member: string): string => {
        const shared = sharedOf(key)!;
        const child = [...all.values()].find(
            (r) =>
                r.type === shared.resource &&
                r.parent !== undefined &&
                ownerOf(r.urn) === key &&
                r.urn.startsWith(member.slice(0, member.lastIndexOf("::"))) &&
                urnName(r.urn) === urnName(member),
        );
        const description = typeof child?.inputs?.description === "string" ? child.inputs.description.split(":")[0].trim() : "";
        const name = shortName(member, stackPrefix) || typeName(clusters.get(key)!.type);
        return description ? `${name}: ${description}` : name;
    };

    const lines = [
        "digraph architecture {",
        `  graph [rankdir=TB, fontname="Helvetica", fontsize=16, labelloc=t, nodesep=0.25, ranksep=0.45, newrank=true, label=${q(`${title}: components by layer; arrow A -> B: A uses B`)}];`,
        '  node [fontname="Helvetica", fontsize=14, shape=box, style="rounded,filled", color="#4a6fa5", fillcolor="#f7f9fc", margin="0.22,0.08"];',
        '  edge [color="#555555", arrowsize=0.7];',
    ];
    const byLayer = new Map<string, string[]>();
    const legend: string[] = [];
    for (const key of topClusters) {
        if (sharedOf(key)) {
            legend.push(key);
            continue;
        }
        const layer = layerOf(key)?.id;
        if (!layer)
            throw new Error(
                `diagram: component type ${clusters.get(key)!.type} belongs to no layer; add it to LAYERS in tools/diagram/diagram.ts`,
            );
        byLayer.set(layer, [...(byLayer.get(layer) ?? []), key]);
    }
    const fills: Record<string, string> = {
        edge: "#fff4e5",
        application: "#eaf4ea",
        data: "#e8f0fb",
        platform: "#f2f2f2",
        observability: "#f6eefa",
        security: "#fdecec",
    };
    for (const def of LAYERS) {
        const layer = def.id;
        const keys = byLayer.get(layer);
        if (!keys) continue;
        lines.push(`  subgraph cluster_${layer} {`);
        lines.push(
            `    label=${q(`${def.title}${def.aside ? " (aside)" : ""}`)}; style="rounded,filled"; color="#bbbbbb"; fillcolor=${q(fills[layer])}; fontsize=16;`,
        );
        for (const key of keys)
            lines.push(`    ${ids.get(key)} [label=${q(label(key))}, tooltip=${q(clusters.get(key)!.type)}];`);
        lines.push("  }");
    }
    if (legend.length > 0) {
        const text: string[] = ["Shared: badges, not arrows"];
        for (const shared of SHARED) {
            const keys = legend.filter((k) => sharedOf(k) === shared);
            if (keys.length === 0) continue;
            text.push("", ...wrap(`${shared.kind}: ${shared.what}`, 26));
            text.push(
                ...[...new Set(keys.flatMap((k) => clusters.get(k)!.members.map((m) => legendLine(k, m))))]
                    .sort()
                    .flatMap((l) => wrap(l, 26)),
            );
        }
        lines.push(`  legend [shape=note, fillcolor="#ffffff", label=${q(text.join("\n"))}];`);
    }
    // Rows of at most COLUMNS nodes per layer (one column aside), and the four layers stacked in order: invisible
    // edges from each node to the one a row below, and from a layer's last row to the next layer's first.
    const COLUMNS = 2;
    let previousRow: string[] = [];
    for (const layer of LAYERS.filter((l) => !l.aside)) {
        const keys = byLayer.get(layer.id) ?? [];
        for (let i = 0; i < keys.length; i += COLUMNS) {
            const row = keys.slice(i, i + COLUMNS);
            if (previousRow.length > 0)
                lines.push(`  ${ids.get(previousRow[0])} -> ${ids.get(row[0])} [style=invis, weight=20];`);
            lines.push(`  { rank=same; ${row.map((k) => ids.get(k)).join("; ")}; }`);
            previousRow = row;
        }
    }
    // The aside groups in one column, then the legend under it.
    const column = [
        ...LAYERS.filter((l) => l.aside)
            .flatMap((l) => byLayer.get(l.id) ?? [])
            .map((k) => ids.get(k)!),
        ...(legend.length > 0 ? ["legend"] : []),
    ];
    for (let i = 0; i + 1 < column.length; i++) lines.push(`  ${column[i]} -> ${column[i + 1]} [style=invis, weight=20];`);
    const edges = new Set<string>();
    const inMain = (key: string) => !sharedOf(key) && !layerOf(key)?.aside;
    for (const [from, targets] of uses) {
        if (!inMain(from)) continue;
        for (const to of targets) if (inMain(to)) edges.add(`  ${ids.get(from)} -> ${ids.get(to)};`);
    }
    lines.push(...[...edges].sort(), "}");
    return `${lines.join("\n")}\n`;
}

let vizInstance: Promise<Viz> | undefined;

/** Renders the architecture diagram of a preview document to SVG (DOC-1). */
export async function renderDiagram(doc: PlanDocument, options: DiagramOptions = {}): Promise<string> {
    vizInstance = vizInstance ?? instance();
    const viz = await vizInstance;
    const svg = viz.renderString(buildDot(doc, options), { format: "svg", engine: "dot" });
    // Drop the XML prolog, doctype and generator comment: the file starts at <svg and embeds anywhere.
    const start = svg.indexOf("<svg");
    if (start < 0) {
        throw new Error("Graphviz returned no <svg> element");
    }
    return svg.slice(start);
}
