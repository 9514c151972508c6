/**
 * A stand-in Pulumi engine for running the program through `@pulumi/pulumi`'s language-host entry
 * (`cmd/run`, what `pulumi preview`/`up` start for a nodejs program) (DEP-2). It serves the two gRPC
 * services the SDK talks to, from the protobuf stubs that ship in `@pulumi/pulumi/proto`:
 * - ResourceMonitor: SupportsFeature, RegisterResource, RegisterResourceOutputs, ReadResource, Invoke,
 *   SignalAndWaitForShutdown;
 * - Engine: Log, GetRootResource, SetRootResource.
 *
 * Like the engine, it builds each URN itself from the registered parent's type chain, marks
 * `additionalSecretOutputs` secret, keeps secret inputs secret in the returned state, and strips secrets
 * or resource references from answers to a client that does not accept them. The providers' part (IDs,
 * computed outputs, invoke results) comes from the offline preview's own mocks (tools/plan/mocks.ts), so
 * both runs see the same values and any difference in what the program registers is the protocol's.
 *
 * The child is started the way the CLI and its nodejs language host start it for this project (cli-launch.ts):
 * in the program directory, `node <nodeargs> <sdk>/cmd/run` with --monitor, --engine, --organization,
 * --project, --root-directory, --stack, --pwd, --dry-run, --parallel and the entry point, the runtime options'
 * environment, and the stack's configuration in PULUMI_CONFIG / PULUMI_CONFIG_SECRET_KEYS.
 */
import { spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as grpc from "@grpc/grpc-js";
import { PlanMocks } from "../../tools/plan/mocks";
import { WIRE } from "../../tools/plan/types";
import { cliLaunch } from "./cli-launch";

/* eslint-disable @typescript-eslint/no-require-imports */
const resrpc = require("@pulumi/pulumi/proto/resource_grpc_pb");
const resproto = require("@pulumi/pulumi/proto/resource_pb");
const engrpc = require("@pulumi/pulumi/proto/engine_grpc_pb");
const engproto = require("@pulumi/pulumi/proto/engine_pb");
const { Empty } = require("google-protobuf/google/protobuf/empty_pb");
const { Struct } = require("google-protobuf/google/protobuf/struct_pb");
/* eslint-enable @typescript-eslint/no-require-imports */

const { signatureKey: SIG, secret: SECRET_SIG, resource: RESOURCE_SIG, outputValue: OUTPUT_SIG, unknown: UNKNOWN } = WIRE;

/** Features this engine implements (the SDK asks for each before the program's first registration). */
const FEATURES = new Set(["secrets", "resourceReferences", "outputValues", "deletedWith", "aliasSpecs"]);

/** One RegisterResource request as the engine received it (wire values, unchanged). */
export interface EngineRegistration {
    urn: string;
    type: string;
    name: string;
    parent: string;
    custom: boolean;
    provider: string;
    protect: boolean;
    object: Record<string, unknown>;
    dependencies: string[];
    propertyDependencies: Record<string, string[]>;
    /** Options the engine passes on to analyzers. */
    options: {
        additionalSecretOutputs: string[];
        ignoreChanges: string[];
        deleteBeforeReplace: boolean;
        deleteBeforeReplaceDefined: boolean;
    };
    /** The state the engine answered with (wire values), what AnalyzeStack sees as the resource's properties. */
    state: Record<string, unknown>;
}

export interface EngineLog {
    severity: number;
    message: string;
    urn: string;
}

export interface EngineRun {
    registrations: EngineRegistration[];
    reads: EngineRegistration[];
    invokes: { token: string; args: Record<string, unknown> }[];
    outputs: Map<string, Record<string, unknown>>;
    logs: EngineLog[];
    rootUrn?: string;
    features: string[];
    shutdownSignalled: boolean;
    code: number | null;
    stderr: string;
    stdout: string;
    /** How the child was started and every module file it loaded (child-record.cjs). */
    child: ChildRecord;
}

/** What a child started by these specs records about itself (child-record.cjs). */
export interface ChildRecord {
    cwd: string;
    execArgv: string[];
    argv: string[];
    tsNodeIgnore: string | null;
    typescript: string | null;
    modules: string[];
}

/** The record of a child that wrote none (or has not run yet). */
const noRecord = (): ChildRecord => ({ cwd: "", execArgv: [], argv: [], tsNodeIgnore: null, typescript: null, modules: [] });

type Json = Record<string, unknown>;

function isObject(v: unknown): v is Json {
    return v !== null && typeof v === "object" && !Array.isArray(v);
}

/** A wire value as a provider sees it: secrets and output values unwrapped, unknowns absent. */
export function plain(v: unknown): unknown {
    if (v === UNKNOWN) return undefined;
    if (Array.isArray(v)) return v.map(plain);
    if (!isObject(v)) return v;
    if (v[SIG] === SECRET_SIG) return plain(v.value);
    if (v[SIG] === OUTPUT_SIG) return "value" in v ? plain(v.value) : undefined;
    if (v[SIG] !== undefined) return v;
    const out: Json = {};
    for (const [k, x] of Object.entries(v)) {
        const p = plain(x);
        if (p !== undefined) out[k] = p;
    }
    return out;
}

/** Whether a wire value holds a secret anywhere. */
function hasSecret(v: unknown): boolean {
    if (Array.isArray(v)) return v.some(hasSecret);
    if (!isObject(v)) return false;
    if (v[SIG] === SECRET_SIG) return true;
    if (v[SIG] === OUTPUT_SIG) return v.secret === true || hasSecret(v.value);
    return Object.values(v).some(hasSecret);
}

/** An input as the engine stores it in state: output values become their value, secret or unknown. */
export function asState(v: unknown): unknown {
    if (Array.isArray(v)) return v.map(asState);
    if (!isObject(v)) return v;
    if (v[SIG] === OUTPUT_SIG) {
        const value = "value" in v ? asState(v.value) : UNKNOWN;
        return v.secret === true ? { [SIG]: SECRET_SIG, value } : value;
    }
    if (v[SIG] === SECRET_SIG) return { [SIG]: SECRET_SIG, value: asState(v.value) };
    if (v[SIG] !== undefined) return v;
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, asState(x)]));
}

/** Drops `undefined` (not representable in a protobuf Struct). */
function toWire(v: unknown): unknown {
    if (Array.isArray(v)) return v.map((x) => (x === undefined ? null : toWire(x)));
    if (!isObject(v)) return v;
    return Object.fromEntries(
        Object.entries(v)
            .filter(([, x]) => x !== undefined)
            .map(([k, x]) => [k, toWire(x)]),
    );
}

/** What a client that does not accept secrets or resource references gets instead. */
function forClient(v: unknown, acceptSecrets: boolean, acceptResources: boolean): unknown {
    if (Array.isArray(v)) return v.map((x) => forClient(x, acceptSecrets, acceptResources));
    if (!isObject(v)) return v;
    if (v[SIG] === SECRET_SIG && !acceptSecrets) return forClient(v.value, acceptSecrets, acceptResources);
    if (v[SIG] === RESOURCE_SIG && !acceptResources) return "id" in v ? v.id : v.urn;
    if (v[SIG] !== undefined && v[SIG] !== SECRET_SIG) return v;
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, forClient(x, acceptSecrets, acceptResources)]));
}

function same(a: unknown, b: unknown): boolean {
    return JSON.stringify(a) === JSON.stringify(b);
}

export class StandInEngine {
    readonly run: EngineRun = {
        registrations: [],
        reads: [],
        invokes: [],
        outputs: new Map(),
        logs: [],
        features: [],
        shutdownSignalled: false,
        code: null,
        stderr: "",
        stdout: "",
        child: noRecord(),
    };
    private readonly server = new grpc.Server({ "grpc.max_receive_message_length": 400 * 1024 * 1024 });
    private readonly byUrn = new Map<string, { type: string; parent: string }>();
    private readonly mocks: PlanMocks;

    constructor(
        private readonly stack: string,
        private readonly project: string,
        region: string,
    ) {
        this.mocks = new PlanMocks(region);
        const unary =
            <Req, Res>(fn: (req: Req) => Res | Promise<Res>) =>
            (call: { request: Req }, callback: grpc.sendUnaryData<Res>) => {
                Promise.resolve()
                    .then(() => fn(call.request))
                    .then((res) => callback(null, res))
                    .catch((e: Error) => callback({ code: grpc.status.UNKNOWN, details: e.message } as grpc.ServiceError));
            };
        this.server.addService(resrpc.ResourceMonitorService, {
            supportsFeature: unary((req: any) => {
                this.run.features.push(req.getId());
                return new resproto.SupportsFeatureResponse().setHassupport(FEATURES.has(req.getId()));
            }),
            registerResource: unary((req: any) => this.registerResource(req)),
            registerResourceOutputs: unary((req: any) => {
                if (!this.byUrn.has(req.getUrn())) throw new Error(`RegisterResourceOutputs: unknown resource ${req.getUrn()}`);
                this.run.outputs.set(req.getUrn(), req.getOutputs()?.toJavaScript() ?? {});
                return new Empty();
            }),
            readResource: unary((req: any) => this.readResource(req)),
            invoke: unary((req: any) => this.invoke(req)),
            signalAndWaitForShutdown: unary(() => {
                this.run.shutdownSignalled = true;
                return new Empty();
            }),
        });
        this.server.addService(engrpc.EngineService, {
            log: unary((req: any) => {
                this.run.logs.push({ severity: req.getSeverity(), message: req.getMessage(), urn: req.getUrn() });
                return new Empty();
            }),
            getRootResource: unary(() => new engproto.GetRootResourceResponse().setUrn(this.run.rootUrn ?? "")),
            setRootResource: unary((req: any) => {
                this.run.rootUrn = req.getUrn();
                return new engproto.SetRootResourceResponse();
            }),
        });
    }

    /** The engine's URN: the types of the parent chain (root stack left out), `$`-joined, then the type. */
    private urnOf(parent: string, type: string, name: string): string {
        const chain: string[] = [type];
        let cur = parent;
        while (cur) {
            const p = this.byUrn.get(cur);
            if (!p) throw new Error(`parent ${cur} of ${type} ${name} was never registered`);
            if (p.type === "pulumi:pulumi:Stack" && !p.parent) break;
            chain.unshift(p.type);
            cur = p.parent;
        }
        return `urn:pulumi:${this.stack}::${this.project}::${chain.join("$")}::${name}`;
    }

    private record(req: any, urn: string, object: Json): EngineRegistration {
        const propertyDependencies: Record<string, string[]> = {};
        req.getPropertydependenciesMap?.()?.forEach((deps: any, key: string) => {
            propertyDependencies[key] = deps.getUrnsList();
        });
        return {
            urn,
            type: req.getType(),
            name: req.getName(),
            parent: req.getParent(),
            custom: req.getCustom?.() ?? true,
            provider: req.getProvider(),
            protect: req.getProtect?.() ?? false,
            object,
            dependencies: req.getDependenciesList?.() ?? [],
            propertyDependencies,
            options: {
                additionalSecretOutputs: req.getAdditionalsecretoutputsList?.() ?? [],
                ignoreChanges: req.getIgnorechangesList?.() ?? [],
                deleteBeforeReplace: req.getDeletebeforereplace?.() ?? false,
                deleteBeforeReplaceDefined: req.getDeletebeforereplacedefined?.() ?? false,
            },
            state: {},
        };
    }

    /** The state a create would produce: computed outputs, with the inputs as given (secrets kept). */
    private stateOf(object: Json, computed: Json, secretOutputs: string[]): Json {
        const state: Json = {};
        for (const [key, value] of Object.entries(computed)) {
            if (key in object && same(value, plain(object[key]))) {
                state[key] = asState(object[key]);
            } else {
                state[key] = key in object && hasSecret(object[key]) ? { [SIG]: SECRET_SIG, value } : value;
            }
        }
        for (const [key, value] of Object.entries(object)) if (!(key in state)) state[key] = asState(value);
        for (const key of secretOutputs) {
            if (key in state && !(isObject(state[key]) && (state[key] as Json)[SIG] === SECRET_SIG))
                state[key] = { [SIG]: SECRET_SIG, value: state[key] };
        }
        return state;
    }

    private async registerResource(req: any): Promise<unknown> {
        const type: string = req.getType();
        const name: string = req.getName();
        const parent: string = req.getParent();
        const urn = this.urnOf(parent, type, name);
        if (this.byUrn.has(urn)) throw new Error(`Duplicate resource URN '${urn}'; try giving it a unique name`);
        this.byUrn.set(urn, { type, parent });
        const object: Json = req.getObject()?.toJavaScript() ?? {};
        const registration = this.record(req, urn, object);
        this.run.registrations.push(registration);
        const { id, state: computed } = await this.mocks.newResource({
            type,
            name,
            inputs: plain(object) as Json,
            provider: req.getProvider(),
            custom: req.getCustom(),
            id: req.getImportid(),
        });
        const state = req.getCustom() ? this.stateOf(object, computed as Json, req.getAdditionalsecretoutputsList()) : {};
        registration.state = state;
        const res = new resproto.RegisterResourceResponse();
        res.setUrn(urn);
        res.setId(id ?? "");
        res.setObject(Struct.fromJavaScript(toWire(forClient(state, req.getAcceptsecrets(), req.getAcceptresources()))));
        return res;
    }

    private async readResource(req: any): Promise<unknown> {
        const urn = this.urnOf(req.getParent(), req.getType(), req.getName());
        this.byUrn.set(urn, { type: req.getType(), parent: req.getParent() });
        const object: Json = req.getProperties()?.toJavaScript() ?? {};
        this.run.reads.push(this.record(req, urn, object));
        const { state } = await this.mocks.newResource({
            type: req.getType(),
            name: req.getName(),
            inputs: plain(object) as Json,
            provider: req.getProvider(),
            custom: true,
            id: req.getId(),
        });
        const res = new resproto.ReadResourceResponse();
        res.setUrn(urn);
        res.setProperties(
            Struct.fromJavaScript(
                toWire(
                    forClient(
                        this.stateOf(object, state as Json, req.getAdditionalsecretoutputsList()),
                        req.getAcceptsecrets(),
                        req.getAcceptresources(),
                    ),
                ),
            ),
        );
        return res;
    }

    private async invoke(req: any): Promise<unknown> {
        const args: Json = req.getArgs()?.toJavaScript() ?? {};
        this.run.invokes.push({ token: req.getTok(), args });
        const result = await this.mocks.call({ token: req.getTok(), inputs: plain(args) as Json, provider: req.getProvider() });
        const res = new resproto.ResourceInvokeResponse();
        res.setReturn(Struct.fromJavaScript(toWire(result)));
        return res;
    }

    /** Listens on a free loopback port; returns `127.0.0.1:<port>` (both services share it). */
    listen(): Promise<string> {
        return new Promise((resolve, reject) => {
            this.server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (err, port) =>
                err ? reject(err) : resolve(`127.0.0.1:${port}`),
            );
        });
    }

    close(): Promise<void> {
        return new Promise((resolve) => this.server.tryShutdown(() => resolve()));
    }
}

export interface LanguageHostOptions {
    repoRoot: string;
    project: string;
    stack: string;
    /** The stack's configuration map (`namespace:key` → string) and its secret keys. */
    config: Record<string, string>;
    secretKeys: string[];
    timeoutMs: number;
}

/** The environment that makes a child write its record (child-record.cjs, preloaded through NODE_OPTIONS). */
export function recordingEnv(recordFile: string): Record<string, string> {
    return {
        NODE_OPTIONS: `--require ${JSON.stringify(path.join(__dirname, "child-record.cjs"))}`,
        BOOKBUDDY_CHILD_RECORD: recordFile,
    };
}

/**
 * Node arguments and environment of a served policy pack (see docs/ci.md, "Protocol checks"). `run-policy-pack`
 * always registers ts-node with type checking, whatever PulumiPolicy.yaml says; the specs have the project's
 * loader (tools/ts-loader.cjs) compile instead and tell ts-node to leave every file to it (type checking is
 * `npm run typecheck`). This is the one way the served packs are started differently from the CLI.
 */
export function packChildSetup(repoRoot: string, recordFile: string): { nodeArgs: string[]; env: Record<string, string> } {
    return {
        nodeArgs: ["--require", path.join(repoRoot, "tools", "ts-loader.cjs")],
        env: { TS_NODE_IGNORE: ".", ...recordingEnv(recordFile) },
    };
}

/** A fresh file name for a child's record. */
export function recordFile(label: string): string {
    return path.join(fs.mkdtempSync(path.join(os.tmpdir(), "bookbuddy-child-")), `${label}.json`);
}

/** Reads (and removes) a child's record; an empty one when the child wrote none. */
export function readRecord(file: string): ChildRecord {
    try {
        return JSON.parse(fs.readFileSync(file, "utf8")) as ChildRecord;
    } catch {
        return noRecord();
    } finally {
        fs.rmSync(path.dirname(file), { recursive: true, force: true });
    }
}

/** Runs the program through `@pulumi/pulumi/cmd/run` as the CLI would (cli-launch.ts), against a fresh stand-in engine. */
export async function runThroughLanguageHost(options: LanguageHostOptions, region: string): Promise<EngineRun> {
    const engine = new StandInEngine(options.stack, options.project, region);
    const address = await engine.listen();
    const launch = cliLaunch(options.repoRoot);
    const entry = require.resolve("@pulumi/pulumi/cmd/run", { paths: [launch.programDirectory] });
    const record = recordFile(options.stack);
    const args = [
        ...launch.nodeArgs,
        entry,
        "--monitor",
        address,
        "--engine",
        address,
        "--organization",
        "organization",
        "--project",
        options.project,
        "--root-directory",
        launch.rootDirectory,
        "--stack",
        options.stack,
        "--pwd",
        launch.programDirectory,
        "--dry-run",
        "--parallel",
        "16",
        launch.entryPoint,
    ];
    const childEnv: NodeJS.ProcessEnv = {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        ...launch.env,
        ...recordingEnv(record),
        PULUMI_CONFIG: JSON.stringify(options.config),
        PULUMI_CONFIG_SECRET_KEYS: JSON.stringify(options.secretKeys),
    };
    try {
        await new Promise<void>((resolve, reject) => {
            const child = spawn(process.execPath, args, {
                cwd: launch.programDirectory,
                env: childEnv,
                stdio: ["ignore", "pipe", "pipe"],
            });
            const timer = setTimeout(() => {
                child.kill("SIGKILL");
                const last = engine.run.logs
                    .slice(-8)
                    .map((l) => l.message.slice(0, 300))
                    .join("\n");
                reject(
                    new Error(
                        `${options.stack}: the program did not finish within ${options.timeoutMs} ms after ${engine.run.registrations.length} registrations; last logs:\n${last}\nstderr: ${engine.run.stderr.slice(-2000)}`,
                    ),
                );
            }, options.timeoutMs);
            child.stdout.on("data", (d) => (engine.run.stdout += d));
            child.stderr.on("data", (d) => (engine.run.stderr += d));
            child.on("error", reject);
            child.on("exit", (code) => {
                clearTimeout(timer);
                engine.run.code = code;
                resolve();
            });
        });
    } finally {
        await engine.close();
        engine.run.child = readRecord(record);
    }
    return engine.run;
}
