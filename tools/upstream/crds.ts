/**
 * CustomResourceDefinition schema data of the pinned operators (UP-1): what a CRD accepts, reduced to the facts a
 * validator needs (group, kind, plural, scope and, per served version, the openAPIV3Schema without its prose).
 * Used by tools/upstream/refresh-crds.ts to write tests/upstream/crds/<operator>/ and by the specs that validate
 * the rendered custom resources.
 */
import YAML from "yaml";

/** tests/upstream/crds/<operator>/source.json: where the data of one operator comes from and what pins it. */
export interface CrdSource {
    /** The upstream project, e.g. "Elastic Cloud on Kubernetes". */
    project: string;
    /** The Helm chart that installs the CRDs, as the program pins it. */
    chart: string;
    chartVersion: string;
    /** The configuration key (dotted path of the typed config) that pins the chart, e.g. `logging.eckOperatorChart`. */
    config: string;
    /** The Git repository holding the CRD files at the chart's tag. */
    repository: string;
    /** How the chart version maps to the repository's tag: `{version}` is replaced, e.g. "v{version}". */
    tagFormat: string;
    tag: string;
    /** The commit the tag pointed to when the data was extracted. */
    commit: string;
    /** Repository paths of the YAML files holding the CustomResourceDefinitions (Helm template lines are dropped). */
    crdFiles: string[];
    /** The kinds kept, each with its data file in the same folder. */
    kinds: Record<string, string>;
}

export interface CrdVersion {
    name: string;
    served: boolean;
    storage: boolean;
    deprecated?: boolean;
    openAPIV3Schema: Record<string, unknown>;
}

/** tests/upstream/crds/<operator>/<kind>.json */
export interface CrdData {
    source: { project: string; repository: string; file: string; tag: string; commit: string; url: string };
    group: string;
    kind: string;
    plural: string;
    scope: "Namespaced" | "Cluster";
    versions: CrdVersion[];
}

/** The file name of a kind's data: kebab case, e.g. `ClusterSecretStore` → `cluster-secret-store.json`. */
export function kindFile(kind: string): string {
    return `${kind.replace(/([a-z0-9])([A-Z])/g, "$1-$2").toLowerCase()}.json`;
}

/** The tag of a chart version in the CRD repository. */
export function tagOf(source: Pick<CrdSource, "tagFormat">, version: string): string {
    return source.tagFormat.replace("{version}", version);
}

/**
 * Every CustomResourceDefinition in a YAML text. Lines that are only Helm template actions (`{{- if … }}`,
 * `{{- end }}`) are dropped first; template expressions inside quoted values stay strings.
 */
export function crdDocuments(text: string): Record<string, any>[] {
    const plain = text
        .split("\n")
        .filter((line) => !/^\s*\{\{.*\}\}\s*$/.test(line))
        .join("\n");
    return YAML.parseAllDocuments(plain)
        .map((d) => {
            if (d.errors.length) throw new Error(d.errors[0].message);
            return d.toJS() as Record<string, any> | null;
        })
        .filter((d): d is Record<string, any> => !!d && d.kind === "CustomResourceDefinition");
}

/** Schema keywords whose values are schemas, and those whose values are maps or lists of schemas. */
const SCHEMA_KEYS = new Set(["items", "additionalProperties", "not"]);
const SCHEMA_MAP_KEYS = new Set(["properties", "patternProperties"]);
const SCHEMA_LIST_KEYS = new Set(["allOf", "anyOf", "oneOf"]);

/** A schema without its prose (`description`, `example`), properties named `description` kept. */
export function stripProse(schema: unknown): unknown {
    if (Array.isArray(schema)) return schema.map(stripProse);
    if (schema === null || typeof schema !== "object") return schema;
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(schema as Record<string, unknown>)) {
        if (key === "description" || key === "example") continue;
        if (SCHEMA_MAP_KEYS.has(key))
            out[key] = Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([p, s]) => [p, stripProse(s)]));
        else if (SCHEMA_KEYS.has(key) || SCHEMA_LIST_KEYS.has(key)) out[key] = stripProse(value);
        else out[key] = value;
    }
    return out;
}

/** The data of one CRD document: served versions only, prose stripped. */
export function crdData(doc: Record<string, any>, source: CrdData["source"]): CrdData {
    const spec = doc.spec ?? {};
    if (!spec.group || !spec.names?.kind || !Array.isArray(spec.versions))
        throw new Error(`${doc.metadata?.name ?? "a CustomResourceDefinition"}: no group, kind or versions`);
    const versions: CrdVersion[] = spec.versions
        .filter((v: any) => v.served)
        .map((v: any) => {
            const schema = v.schema?.openAPIV3Schema;
            if (!schema) throw new Error(`${spec.names.kind} ${v.name}: no openAPIV3Schema`);
            return {
                name: v.name,
                served: true,
                storage: !!v.storage,
                ...(v.deprecated ? { deprecated: true } : {}),
                openAPIV3Schema: stripProse(schema) as Record<string, unknown>,
            };
        });
    return { source, group: spec.group, kind: spec.names.kind, plural: spec.names.plural, scope: spec.scope, versions };
}

/** A canonical JSON text of data files (sorted keys, one line per file keeps diffs of a refresh reviewable by kind). */
export function canonicalJson(value: unknown): string {
    const sort = (v: unknown): unknown => {
        if (Array.isArray(v)) return v.map(sort);
        if (v === null || typeof v !== "object") return v;
        return Object.fromEntries(
            Object.keys(v as Record<string, unknown>)
                .sort()
                .map((k) => [k, sort((v as Record<string, unknown>)[k])]),
        );
    };
    return JSON.stringify(sort(value));
}
