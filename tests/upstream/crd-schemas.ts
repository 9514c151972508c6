/**
 * UP-1: custom resources validated against the CRD schemas of the pinned operators (tests/upstream/crds/<operator>/,
 * written by tools/upstream/refresh-crds.ts with source.json naming repository, tag and commit).
 *
 * Validation follows the API server with `kubectl apply --validate=strict`: the served version's openAPIV3Schema
 * with structural semantics (a field the schema does not list is an error, except under
 * `x-kubernetes-preserve-unknown-fields`; `x-kubernetes-int-or-string` accepts an integer or a string; an
 * `x-kubernetes-embedded-resource` carries apiVersion, kind and metadata), and ObjectMeta's rules for the
 * metadata the program sets (DNS names, namespace by the CRD's scope, label and annotation keys and values).
 */
import * as fs from "fs";
import * as path from "path";
import Ajv, { ValidateFunction } from "ajv";
import { CrdData, CrdSource, CrdVersion } from "../../tools/upstream/crds";
import { PlanDocument, PlanResourceState } from "../../tools/plan/types";
import { resources, REPO_ROOT } from "../support/plan";

export const CRD_DIR = path.join(REPO_ROOT, "tests", "upstream", "crds");

export interface Operator {
    /** Folder name below tests/upstream/crds. */
    name: string;
    source: CrdSource;
    crds: CrdData[];
}

/** Every operator's CRD data. */
export function operators(): Operator[] {
    return fs
        .readdirSync(CRD_DIR)
        .filter((d) => fs.existsSync(path.join(CRD_DIR, d, "source.json")))
        .sort()
        .map((name) => {
            const source = JSON.parse(fs.readFileSync(path.join(CRD_DIR, name, "source.json"), "utf8")) as CrdSource;
            const crds = Object.values(source.kinds).map(
                (file) => JSON.parse(fs.readFileSync(path.join(CRD_DIR, name, file), "utf8")) as CrdData,
            );
            return { name, source, crds };
        });
}

/** The formats the API server knows that occur in the data; a schema using another one fails the data spec. */
export const FORMATS: Record<string, (value: unknown) => boolean> = {
    int32: (n) => typeof n === "number" && Number.isInteger(n) && n >= -(2 ** 31) && n < 2 ** 31,
    int64: (n) => typeof n === "number" && Number.isInteger(n),
    "date-time": (s) => typeof s === "string" && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(s),
    byte: (s) => typeof s === "string" && /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/.test(s),
};

const EXTENSIONS = [
    "x-kubernetes-preserve-unknown-fields",
    "x-kubernetes-embedded-resource",
    "x-kubernetes-list-type",
    "x-kubernetes-list-map-keys",
    "x-kubernetes-map-type",
    "x-kubernetes-validations",
];

/**
 * A schema made strict the way the API server's field validation is: every object schema that does not preserve
 * unknown fields accepts only the properties it lists (none, if it lists none). As in the server's pruning, an
 * array that preserves unknown fields passes that on to its items (`inherited`); listed properties and
 * additionalProperties below a preserving node are strict again.
 */
export function strict(node: unknown, inherited = false): unknown {
    if (Array.isArray(node)) return node.map((n) => strict(n));
    if (node === null || typeof node !== "object") return node;
    const source = node as Record<string, unknown>;
    const preserves = source["x-kubernetes-preserve-unknown-fields"] === true || inherited;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(source)) {
        if (k === "properties")
            out[k] = Object.fromEntries(Object.entries(v as Record<string, unknown>).map(([p, s]) => [p, strict(s)]));
        else if (k === "items") out[k] = strict(v, preserves);
        else out[k] = strict(v);
    }
    if (out["x-kubernetes-embedded-resource"] === true) {
        // An embedded object is validated as ObjectMeta by the server, not by the CRD schema.
        const listed = (out.properties ?? {}) as Record<string, Record<string, unknown>>;
        const metadata = listed.metadata?.properties ? listed.metadata : { type: "object" };
        out.properties = { apiVersion: { type: "string" }, kind: { type: "string" }, ...listed, metadata };
    }
    if (out.type === "object" && !preserves && out.additionalProperties === undefined) out.additionalProperties = false;
    return out;
}

/**
 * The API server matches `pattern` with Go's RE2. Its leading case-insensitive flag `(?i)` becomes the JavaScript
 * `i` flag; any other inline flag group is refused rather than guessed.
 */
const re2Pattern = Object.assign(
    (pattern: string, flags: string) => {
        const insensitive = pattern.startsWith("(?i)") || pattern.startsWith("^(?i)");
        const body = insensitive ? pattern.replace("(?i)", "") : pattern;
        if (/\(\?[a-zA-Z]/.test(body)) throw new Error(`pattern ${pattern}: an RE2 inline flag the validator does not translate`);
        return new RegExp(body, insensitive ? `${flags}i` : flags);
    },
    { code: "re2Pattern" },
);

function newAjv(): Ajv {
    const ajv = new Ajv({ allErrors: true, strict: false, code: { regExp: re2Pattern } });
    for (const keyword of EXTENSIONS) ajv.addKeyword({ keyword });
    ajv.addKeyword({
        keyword: "x-kubernetes-int-or-string",
        schemaType: "boolean",
        validate: (on: boolean, data: unknown) =>
            !on || typeof data === "string" || (typeof data === "number" && Number.isInteger(data)),
        errors: false,
    });
    for (const [name, validate] of Object.entries(FORMATS)) {
        if (name.startsWith("int")) ajv.addFormat(name, { type: "number", validate: (n: number) => validate(n) });
        else ajv.addFormat(name, { type: "string", validate: (s: string) => validate(s) });
    }
    return ajv;
}

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const QUALIFIED_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const META_FIELDS = new Set(["name", "namespace", "labels", "annotations", "finalizers", "ownerReferences"]);

function qualifiedKey(key: string): string | undefined {
    const parts = key.split("/");
    if (parts.length > 2) return "more than one '/'";
    const [prefix, name] = parts.length === 2 ? parts : [undefined, parts[0]];
    if (prefix !== undefined && (prefix.length > 253 || !DNS_SUBDOMAIN.test(prefix))) return "prefix is not a DNS subdomain";
    if (name.length > 63 || !QUALIFIED_NAME.test(name)) return "name is not a qualified name (63 characters of [A-Za-z0-9-_.])";
    return undefined;
}

/** ObjectMeta's rules for what the program sets, by the CRD's scope. */
export function metadataProblems(meta: Record<string, unknown> | undefined, scope: CrdData["scope"]): string[] {
    const problems: string[] = [];
    if (!meta || typeof meta !== "object") return ["metadata is missing"];
    for (const key of Object.keys(meta))
        if (!META_FIELDS.has(key)) problems.push(`metadata.${key} is not a field the program may set`);
    const name = meta.name;
    if (typeof name !== "string") problems.push("metadata.name is missing (an auto-generated name cannot be referenced)");
    else if (name.length > 253 || !DNS_SUBDOMAIN.test(name))
        problems.push(`metadata.name ${JSON.stringify(name)} is not a DNS-1123 subdomain`);
    if (scope === "Namespaced") {
        if (typeof meta.namespace !== "string")
            problems.push(
                "metadata.namespace is missing on a namespaced kind (it would land in the provider's default namespace)",
            );
        else if (meta.namespace.length > 63 || !DNS_LABEL.test(meta.namespace))
            problems.push(`metadata.namespace ${JSON.stringify(meta.namespace)} is not a DNS-1123 label`);
    } else if (meta.namespace !== undefined) problems.push("metadata.namespace is set on a cluster-scoped kind");
    for (const field of ["labels", "annotations"] as const) {
        const map = meta[field];
        if (map === undefined) continue;
        if (!map || typeof map !== "object" || Array.isArray(map)) {
            problems.push(`metadata.${field} is not a map`);
            continue;
        }
        for (const [key, value] of Object.entries(map)) {
            const bad = qualifiedKey(key);
            if (bad) problems.push(`metadata.${field}[${JSON.stringify(key)}]: ${bad}`);
            if (typeof value !== "string") problems.push(`metadata.${field}[${JSON.stringify(key)}] is not a string`);
            else if (field === "labels" && value !== "" && (value.length > 63 || !QUALIFIED_NAME.test(value)))
                problems.push(`metadata.labels[${JSON.stringify(key)}]: value ${JSON.stringify(value)} is not a label value`);
        }
    }
    return problems;
}

export interface KnownKind {
    operator: Operator;
    crd: CrdData;
    version: CrdVersion;
    validate: ValidateFunction;
}

/** Validators of every served group/version/kind in the data, compiled on first use. */
export class CrdCatalog {
    private readonly kinds = new Map<
        string,
        { operator: Operator; crd: CrdData; version: CrdVersion; validate?: ValidateFunction }
    >();
    private readonly ajv = newAjv();

    constructor(readonly all: Operator[] = operators()) {
        for (const operator of all) {
            for (const crd of operator.crds) {
                for (const version of crd.versions)
                    this.kinds.set(`${crd.group}/${version.name}:${crd.kind}`, { operator, crd, version });
            }
        }
    }

    /** The kind an object's apiVersion and kind name, or undefined when no data covers it. */
    find(apiVersion: string, kind: string): KnownKind | undefined {
        const entry = this.kinds.get(`${apiVersion}:${kind}`);
        if (!entry) return undefined;
        entry.validate ??= this.ajv.compile(strict(entry.version.openAPIV3Schema) as object);
        return entry as KnownKind;
    }

    /** Every problem of one object: no data, a version not served or deprecated, metadata, and the schema's errors. */
    problems(object: Record<string, any>): string[] {
        const known = this.find(String(object.apiVersion), String(object.kind));
        if (!known)
            return [
                `${object.apiVersion} ${object.kind}: no CRD schema data in tests/upstream/crds (add the kind to its operator's source.json and run tools/upstream/refresh-crds.ts)`,
            ];
        const out = metadataProblems(object.metadata, known.crd.scope);
        if (known.version.deprecated)
            out.push(
                `${object.apiVersion} ${object.kind} is deprecated in ${known.operator.source.chart} ${known.operator.source.chartVersion}`,
            );
        if (!known.validate({ ...object, metadata: {} })) {
            for (const e of known.validate.errors ?? [])
                out.push(
                    `${e.instancePath || "/"} ${e.message}${e.keyword === "additionalProperties" ? `: ${JSON.stringify(e.params.additionalProperty)}` : ""}`,
                );
        }
        return out;
    }
}

/** Pulumi's own Kubernetes types (not API objects). */
const PULUMI_TYPES = /^kubernetes:(helm\.sh|yaml|kustomize)\/|^pulumi:providers:kubernetes$/;

const MODELS_DIR = path.dirname(require.resolve("kubernetes-models/package.json"));

/**
 * Whether a rendered Kubernetes type token is a built-in API kind: kubernetes-models has a model of that
 * apiVersion and kind (its class file declares both).
 */
export function isBuiltIn(type: string): boolean {
    const m = /^kubernetes:([^/]+)\/([^:]+):(.+)$/.exec(type);
    if (!m) return false;
    const [, group, version, kind] = m;
    const apiVersion = group === "core" ? version : `${group}/${version}`;
    const file = path.join(MODELS_DIR, apiVersion, `${kind}.js`);
    if (!/^[A-Za-z0-9]+$/.test(kind) || !fs.existsSync(file)) return false;
    const text = fs.readFileSync(file, "utf8");
    return text.includes(`this.apiVersion="${apiVersion}"`) && text.includes(`this.kind="${kind}"`);
}

/** Every custom resource a rendered stack declares: Kubernetes objects that are neither built-in kinds nor Pulumi's own types. */
export function customResources(doc: PlanDocument): PlanResourceState[] {
    return resources(doc).filter(
        (r) =>
            (r.type.startsWith("kubernetes:") || r.type.startsWith("pulumi:providers:kubernetes")) &&
            !PULUMI_TYPES.test(r.type) &&
            !isBuiltIn(r.type),
    );
}
