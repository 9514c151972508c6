/**
 * Renders a Pulumi TypeScript program offline (CI-2): runs it under the SDK's mocks with a stack's
 * configuration and records every resource registration as the engine would see it, including component
 * resources, parents, providers, dependencies and property dependencies. Secrets never leave as values:
 * every secret is written as "[secret]", and `secure:` stack values are never decrypted.
 *
 * One harness: the preview command and the tests both call renderStack().
 */
import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import * as YAML from "yaml";
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { Struct } = require("google-protobuf/google/protobuf/struct_pb");
import { PlanMocks } from "./mocks";
import { PlanDocument, PlanResourceState, PlanStep, SECRET_PLACEHOLDER, WIRE } from "./types";

// Internal SDK modules: the mock monitor and the RPC queue. Typed loosely on purpose.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const settings = require("@pulumi/pulumi/runtime/settings");

const {
    signatureKey: SIG,
    secret: SECRET_SIG,
    resource: RESOURCE_SIG,
    asset: ASSET_SIG,
    archive: ARCHIVE_SIG,
    outputValue: OUTPUT_SIG,
} = WIRE;
export const UNKNOWN_PLACEHOLDER = "[unknown]";

/** A user mistake (missing stack file, bad project): reported without a stack trace. */
export class PlanUsageError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "PlanUsageError";
    }
}

export interface RenderOptions {
    /** Directory of the Pulumi project (its Pulumi.yaml, main and stack files). */
    projectDir: string;
    stack: string;
}

interface Project {
    name: string;
    mainPath: string;
    config: Record<string, unknown>;
}

export function readProject(projectDir: string): Project {
    const file = path.join(projectDir, "Pulumi.yaml");
    if (!fs.existsSync(file)) throw new PlanUsageError(`${file}: not found; --cwd must point at a Pulumi project directory`);
    let doc: Record<string, any>;
    try {
        doc = YAML.parse(fs.readFileSync(file, "utf8")) ?? {};
    } catch (e) {
        const where = (e as { linePos?: { line: number }[] }).linePos?.[0]?.line;
        throw new PlanUsageError(
            `${file}: not valid YAML${where ? ` (line ${where})` : ""}: ${(e as Error).message.split("\n")[0]}`,
        );
    }
    if (typeof doc !== "object" || Array.isArray(doc))
        throw new PlanUsageError(`${file}: expected a map with the keys name, runtime and main`);
    if (typeof doc.name !== "string") throw new PlanUsageError(`${file}: key "name": expected the project name`);
    const runtime = typeof doc.runtime === "string" ? doc.runtime : doc.runtime?.name;
    if (runtime !== "nodejs")
        throw new PlanUsageError(`${file}: key "runtime": got ${JSON.stringify(runtime)}; expected "nodejs" (TypeScript)`);
    const main = path.resolve(projectDir, typeof doc.main === "string" ? doc.main : ".");
    let mainPath = main;
    if (fs.existsSync(main) && fs.statSync(main).isDirectory()) {
        mainPath =
            ["index.ts", "index.js"].map((f) => path.join(main, f)).find((f) => fs.existsSync(f)) ?? path.join(main, "index.ts");
    }
    if (!fs.existsSync(mainPath)) throw new PlanUsageError(`${file}: key "main": the program entry ${mainPath} does not exist`);
    return { name: doc.name, mainPath, config: doc.config ?? {} };
}

export function listStacks(projectDir: string): string[] {
    return fs
        .readdirSync(projectDir)
        .map((f) => /^Pulumi\.(.+)\.yaml$/.exec(f)?.[1])
        .filter((s): s is string => !!s)
        .sort();
}

/**
 * The configuration map as the engine hands it to a program: `namespace:key` → string (structured values as
 * JSON text), plus the set of secret keys. `secure:` values become "[secret]".
 */
export function readStackConfig(
    projectDir: string,
    project: Project,
    stack: string,
): { config: Record<string, string>; secretKeys: string[] } {
    const file = path.join(projectDir, `Pulumi.${stack}.yaml`);
    if (!fs.existsSync(file)) {
        const known = listStacks(projectDir);
        throw new PlanUsageError(
            `Pulumi.${stack}.yaml: no such stack file in ${projectDir}; known stacks: ${known.length ? known.join(", ") : "none"} ` +
                `(create one with \`pulumi stack init ${stack}\` and set its configuration)`,
        );
    }
    let doc: { config?: Record<string, unknown> } | null;
    try {
        doc = YAML.parse(fs.readFileSync(file, "utf8"));
    } catch (e) {
        throw new PlanUsageError(`Pulumi.${stack}.yaml: not valid YAML: ${(e as Error).message.split("\n")[0]}`);
    }
    const config: Record<string, string> = {};
    const secretKeys: string[] = [];
    const qualify = (key: string) => (key.includes(":") ? key : `${project.name}:${key}`);
    // Project-level defaults first (Pulumi.yaml `config:` with `value:` or `default:`), then the stack file.
    for (const [key, spec] of Object.entries(project.config)) {
        if (key.startsWith("pulumi:")) continue;
        const value =
            spec && typeof spec === "object" && !Array.isArray(spec)
                ? ((spec as Record<string, unknown>).value ?? (spec as Record<string, unknown>).default)
                : spec;
        if (value !== undefined) config[qualify(key)] = encode(value).text;
    }
    if (doc?.config !== undefined && (doc.config === null || typeof doc.config !== "object" || Array.isArray(doc.config))) {
        throw new PlanUsageError(`Pulumi.${stack}.yaml: key "config": expected a map of configuration keys`);
    }
    for (const [key, value] of Object.entries(doc?.config ?? {})) {
        const full = qualify(key);
        const { text, secret } = encode(value);
        config[full] = text;
        if (secret) secretKeys.push(full);
    }
    return { config, secretKeys };
}

/** Encodes one config value; any `secure:` inside becomes "[secret]" and marks the key secret. */
function encode(value: unknown): { text: string; secret: boolean } {
    let secret = false;
    const walk = (v: unknown): unknown => {
        if (v && typeof v === "object" && !Array.isArray(v)) {
            const o = v as Record<string, unknown>;
            if (Object.keys(o).length === 1 && "secure" in o) {
                secret = true;
                return SECRET_PLACEHOLDER;
            }
            return Object.fromEntries(Object.entries(o).map(([k, x]) => [k, walk(x)]));
        }
        if (Array.isArray(v)) return v.map(walk);
        return v;
    };
    const w = walk(value);
    return { text: typeof w === "string" ? w : typeof w === "object" ? JSON.stringify(w) : String(w), secret };
}

/** Turns serialized RPC values into plain JSON with secrets redacted and references shown as URNs. */
export function redact(value: unknown): unknown {
    if (value === WIRE.unknown) return UNKNOWN_PLACEHOLDER;
    if (Array.isArray(value)) return value.map(redact);
    if (value && typeof value === "object") {
        const o = value as Record<string, unknown>;
        switch (o[SIG]) {
            case SECRET_SIG:
                return SECRET_PLACEHOLDER;
            case RESOURCE_SIG:
                return o.urn;
            case ASSET_SIG:
                return {
                    asset:
                        o.path ??
                        o.uri ??
                        (typeof o.text === "string" ? `text (${(o.text as string).length} characters)` : "asset"),
                };
            case ARCHIVE_SIG:
                return { archive: o.path ?? o.uri ?? Object.keys((o.assets as object) ?? {}).sort() };
            case OUTPUT_SIG:
                return o.secret ? SECRET_PLACEHOLDER : "value" in o ? redact(o.value) : UNKNOWN_PLACEHOLDER;
            default:
                return Object.fromEntries(Object.entries(o).map(([k, v]) => [k, redact(v)]));
        }
    }
    return value;
}

interface Registration {
    state: PlanResourceState;
    name: string;
}

/** Renders one stack of a project and returns the preview document (without policies or cost). */
export async function renderStack(options: RenderOptions): Promise<PlanDocument> {
    const projectDir = path.resolve(options.projectDir);
    const project = readProject(projectDir);
    const { config, secretKeys } = readStackConfig(projectDir, project, options.stack);
    return renderProgram(
        () => {
            // eslint-disable-next-line @typescript-eslint/no-require-imports
            const mod = require(project.mainPath);
            const exported = mod && mod.__esModule && "default" in mod ? mod.default : mod;
            return typeof exported === "function" ? exported() : exported;
        },
        { project: project.name, stack: options.stack, config, secretKeys, freshModules: projectModules(projectDir) },
    );
}

/**
 * The project's own modules (not its dependencies): files under the project directory and under the real
 * directories its linked folders point to, so a project that links another's `infra/` runs that program afresh.
 */
export function projectModules(projectDir: string): (file: string) => boolean {
    const roots = new Set([projectDir]);
    for (const entry of fs.readdirSync(projectDir, { withFileTypes: true })) {
        if (entry.name === "node_modules" || !entry.isSymbolicLink()) continue;
        try {
            roots.add(fs.realpathSync(path.join(projectDir, entry.name)));
        } catch {
            // A dangling link holds no module.
        }
    }
    const prefixes = [...roots].map((r) => r + path.sep);
    const inDependencies = `${path.sep}node_modules${path.sep}`;
    return (file) => !file.includes(inDependencies) && prefixes.some((p) => file.startsWith(p));
}

export interface InlineOptions {
    project?: string;
    stack?: string;
    /** Configuration map, `namespace:key` → string. */
    config?: Record<string, string>;
    secretKeys?: string[];
    /**
     * Modules to load afresh for this render (the program's own, whose top-level code declares resources): they
     * are unloaded before the program runs, and once the render is done the instances loaded before it are put
     * back, so code outside the render keeps one instance of each module (a test worker runs many spec files).
     */
    freshModules?: (file: string) => boolean;
}

/**
 * Runs a program function under the same mocks and recorder as the preview (tests use this to render one
 * component on its own). The function's return value becomes the stack outputs.
 */
export function renderProgram(program: () => unknown, options: InlineOptions = {}): Promise<PlanDocument> {
    // The SDK's runtime state is global to the process: renders run one at a time, whoever asks.
    const run = renderQueue.then(() => renderOnce(program, options));
    renderQueue = run.catch(() => undefined);
    return run;
}

let renderQueue: Promise<unknown> = Promise.resolve();

async function renderOnce(program: () => unknown, options: InlineOptions): Promise<PlanDocument> {
    const project = options.project ?? "bookbuddy";
    const stack = options.stack ?? "test";
    const config = options.config ?? {};
    pulumi.runtime.setAllConfig(config, options.secretKeys ?? []);
    await pulumi.runtime.setMocks(new PlanMocks(config["aws:region"] ?? "us-east-1"), project, stack, true);
    const registrations: Registration[] = [];
    const stackOutputs: { value?: Record<string, unknown> } = {};
    recordRegistrations(settings.getMonitor(), registrations, stackOutputs);

    const restore = options.freshModules ? unloadModules(options.freshModules) : () => undefined;
    try {
        await pulumi.runtime.runInPulumiStack(async () => (await program()) as Record<string, unknown>);
        await settings.waitForRPCs();
    } finally {
        restore();
    }

    const steps: PlanStep[] = registrations.map((r) => ({ op: "create", urn: r.state.urn, newState: r.state }));
    return {
        offline: { stack, project, generatedBy: "bookbuddy offline preview" },
        steps,
        changeSummary: { create: steps.length },
        policyViolations: [],
        outputs: stackOutputs.value ?? {},
    };
}

/** Unloads the selected modules; the returned function unloads what was loaded since and puts the old ones back. */
function unloadModules(select: (file: string) => boolean): () => void {
    const before = new Map<string, NodeJS.Module>();
    for (const [file, mod] of Object.entries(require.cache)) {
        if (mod && select(file)) {
            before.set(file, mod);
            delete require.cache[file];
        }
    }
    return () => {
        for (const file of Object.keys(require.cache)) if (select(file)) delete require.cache[file];
        for (const [file, mod] of before) require.cache[file] = mod;
    };
}

/** The qualified type of a URN: its third `::` segment, the parents' type chain and the type (`A$B$type`). */
export function qualifiedTypeOf(urn: string): string {
    return urn.split("::")[2] ?? "";
}

/**
 * The URN the engine gives a resource (DEP-2): `urn:pulumi:<stack>::<project>::<qualified type>::<name>`,
 * where the qualified type is the parent's whole qualified type, `$`, then the resource's type. The root
 * stack is left out, so children of the stack carry their bare type. The SDK's mock monitor keeps only the
 * immediate parent's type, which is wrong for anything two or more component levels deep.
 */
export function engineUrn(stack: string, project: string, parent: string | undefined, type: string, name: string): string {
    const parentType = parent ? qualifiedTypeOf(parent) : "";
    const qualified = parentType && parentType !== "pulumi:pulumi:Stack" ? `${parentType}$${type}` : type;
    return `urn:pulumi:${stack}::${project}::${qualified}::${name}`;
}

/**
 * Wraps the mock monitor so every registration is recorded from the request the engine would receive, and
 * makes it behave like the engine in two ways the SDK's mock does not: URNs are built from the parent's full
 * qualified type chain without the stack (engineUrn), and outputs named in `additionalSecretOutputs` come
 * back as secrets (so a generated password stays secret wherever it flows).
 */
function recordRegistrations(monitor: any, out: Registration[], stackOutputs: { value?: Record<string, unknown> }): void {
    monitor.newUrn = (parent: string, type: string, name: string) =>
        engineUrn(pulumi.getStack(), pulumi.getProject(), parent || undefined, type, name);
    const register = monitor.registerResource.bind(monitor);
    monitor.registerResource = (req: any, callback: (err: unknown, resp?: any) => void) => {
        register(req, (err: unknown, resp?: any) => {
            const secretOutputs: string[] = req.getAdditionalsecretoutputsList?.() ?? [];
            if (!err && resp && secretOutputs.length > 0) {
                const state = resp.getObject()?.toJavaScript() ?? {};
                for (const key of secretOutputs) if (key in state) state[key] = { [SIG]: SECRET_SIG, value: state[key] };
                resp.setObject(Struct.fromJavaScript(state));
            }
            if (!err && resp) {
                const propertyDependencies: Record<string, string[]> = {};
                req.getPropertydependenciesMap().forEach((deps: any, key: string) => {
                    propertyDependencies[key] = deps.getUrnsList();
                });
                const inputs = (redact(req.getObject()?.toJavaScript() ?? {}) as Record<string, unknown>) ?? {};
                const rawState = (redact(resp.getObject()?.toJavaScript() ?? {}) as Record<string, unknown>) ?? {};
                const outputs: Record<string, unknown> = {};
                // Only provider-computed values: anything also given as an input is the input (maybe a secret).
                for (const [k, v] of Object.entries(rawState)) if (!(k in inputs)) outputs[k] = v;
                const state: PlanResourceState = {
                    type: req.getType(),
                    urn: resp.getUrn(),
                    parent: req.getParent() || undefined,
                    custom: req.getCustom(),
                    provider: req.getProvider() || undefined,
                    protect: req.getProtect() || undefined,
                    inputs,
                    outputs: req.getCustom() ? outputs : undefined,
                    dependencies: req.getDependenciesList(),
                    propertyDependencies,
                };
                out.push({ state, name: req.getName() });
            }
            callback(err, resp);
        });
    };
    const registerOutputs = monitor.registerResourceOutputs.bind(monitor);
    monitor.registerResourceOutputs = (req: any, callback: (err: unknown, resp?: any) => void) => {
        if (req.getUrn().includes("::pulumi:pulumi:Stack::")) {
            stackOutputs.value = redact(req.getOutputs()?.toJavaScript() ?? {}) as Record<string, unknown>;
        }
        registerOutputs(req, callback);
    };
}
