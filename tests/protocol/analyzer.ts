/**
 * A policy pack served the way the Pulumi CLI serves a local pack (DEP-2, POL-3): `node
 * <sdk>/cmd/run-policy-pack <engine address> <pack directory>`, which constructs the pack's PolicyPack, serves
 * the Analyzer gRPC service on a loopback port and prints the port on stdout. The client speaks the engine's
 * side of the protocol from the stubs in `@pulumi/pulumi/proto`: GetAnalyzerInfo, ConfigureStack, Configure
 * (per-policy enforcement level and properties, reconciled from the pack's defaults and the stack's
 * policy-pack-config file as the engine does), Analyze per resource and AnalyzeStack.
 */
import { ChildProcess, spawn } from "child_process";
import * as path from "path";
import * as grpc from "@grpc/grpc-js";
import type { PolicyViolation } from "../../tools/plan/types";
import { StandInEngine, packChildSetup, readRecord, recordFile } from "./engine";

/* eslint-disable @typescript-eslint/no-require-imports */
const analyzerrpc = require("@pulumi/pulumi/proto/analyzer_grpc_pb");
const analyzerproto = require("@pulumi/pulumi/proto/analyzer_pb");
const { Empty } = require("google-protobuf/google/protobuf/empty_pb");
const { Struct } = require("google-protobuf/google/protobuf/struct_pb");
/* eslint-enable @typescript-eslint/no-require-imports */

type Json = Record<string, unknown>;

const LEVELS: Record<number, string> = {
    [analyzerproto.EnforcementLevel.ADVISORY]: "advisory",
    [analyzerproto.EnforcementLevel.MANDATORY]: "mandatory",
    [analyzerproto.EnforcementLevel.DISABLED]: "disabled",
    [analyzerproto.EnforcementLevel.REMEDIATE]: "remediate",
};
const LEVEL_CODES = Object.fromEntries(Object.entries(LEVELS).map(([code, name]) => [name, Number(code)]));
const SEVERITIES: Record<number, string | undefined> = {
    [analyzerproto.PolicySeverity.POLICY_SEVERITY_UNSPECIFIED]: undefined,
    [analyzerproto.PolicySeverity.POLICY_SEVERITY_LOW]: "low",
    [analyzerproto.PolicySeverity.POLICY_SEVERITY_MEDIUM]: "medium",
    [analyzerproto.PolicySeverity.POLICY_SEVERITY_HIGH]: "high",
    [analyzerproto.PolicySeverity.POLICY_SEVERITY_CRITICAL]: "critical",
};

/** A policy as GetAnalyzerInfo describes it. */
export interface ServedPolicy {
    name: string;
    description: string;
    enforcementLevel: string;
    severity?: string;
    configSchema?: { properties: Json; required: string[] };
}

export interface ServedPackInfo {
    name: string;
    version: string;
    policies: ServedPolicy[];
}

/** A resource as the engine describes it to an analyzer (wire values: secrets, unknowns, references). */
export interface AnalyzedResource {
    urn: string;
    type: string;
    name: string;
    properties: Json;
    options: {
        protect: boolean;
        ignoreChanges: string[];
        deleteBeforeReplace: boolean;
        deleteBeforeReplaceDefined: boolean;
        additionalSecretOutputs: string[];
        parent: string;
    };
    provider?: { urn: string; type: string; name: string; properties: Json };
    parent: string;
    dependencies: string[];
}

function call<T>(client: any, method: string, req: unknown): Promise<T> {
    return new Promise((resolve, reject) =>
        client[method](req, (err: grpc.ServiceError | null, res: T) => (err ? reject(err) : resolve(res))),
    );
}

/** The engine's reconcile of a pack's policy config: pack defaults, then `all`, then each policy's entry. */
export function engineConfig(
    info: ServedPackInfo,
    file: Json | undefined,
): Map<string, { enforcementLevel: string; properties: Json }> {
    const entry = (v: unknown): { enforcementLevel?: string; properties: Json } => {
        if (typeof v === "string") return { enforcementLevel: v, properties: {} };
        const { enforcementLevel, ...properties } = (v ?? {}) as Json;
        return { enforcementLevel: enforcementLevel as string | undefined, properties };
    };
    const all = file && "all" in file ? entry(file.all) : undefined;
    const result = new Map<string, { enforcementLevel: string; properties: Json }>();
    for (const p of info.policies) {
        const own = file && p.name in file ? entry(file[p.name]) : undefined;
        const defaults: Json = {};
        for (const [k, schema] of Object.entries(p.configSchema?.properties ?? {})) {
            if ((schema as Json).default !== undefined) defaults[k] = (schema as Json).default;
        }
        result.set(p.name, {
            enforcementLevel: own?.enforcementLevel ?? all?.enforcementLevel ?? p.enforcementLevel,
            properties: { ...defaults, ...(own?.properties ?? {}) },
        });
    }
    return result;
}

export class ServedPack {
    private constructor(
        private readonly child: ChildProcess,
        private readonly client: any,
        private readonly engine: StandInEngine,
        readonly stderr: () => string,
        private readonly modules: string,
    ) {}

    /** Starts `cmd/run-policy-pack` for a pack directory and connects once it prints its port. */
    static async start(repoRoot: string, packDir: string, timeoutMs: number): Promise<ServedPack> {
        const engine = new StandInEngine("policy", "policy", "us-east-1");
        const engineAddress = await engine.listen();
        const entry = require.resolve("@pulumi/pulumi/cmd/run-policy-pack", { paths: [repoRoot] });
        const modules = recordFile(path.basename(packDir));
        const { nodeArgs, env } = packChildSetup(repoRoot, modules);
        const child = spawn(process.execPath, [...nodeArgs, entry, engineAddress, path.resolve(repoRoot, packDir)], {
            cwd: repoRoot,
            env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
            stdio: ["ignore", "pipe", "pipe"],
        });
        let stdout = "";
        let stderr = "";
        child.stderr!.on("data", (d) => (stderr += d));
        const port = await new Promise<number>((resolve, reject) => {
            const timer = setTimeout(
                () => reject(new Error(`${packDir}: no port printed within ${timeoutMs} ms; stderr: ${stderr}`)),
                timeoutMs,
            );
            child.stdout!.on("data", (d) => {
                stdout += d;
                const line = /^(\d+)\s*$/m.exec(stdout);
                if (line) {
                    clearTimeout(timer);
                    resolve(Number(line[1]));
                }
            });
            child.on("exit", (code) => {
                clearTimeout(timer);
                reject(new Error(`${packDir}: exited with ${code} before printing a port; stderr: ${stderr}`));
            });
        });
        const client = new analyzerrpc.AnalyzerClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure(), {
            "grpc.max_send_message_length": 400 * 1024 * 1024,
            "grpc.max_receive_message_length": 400 * 1024 * 1024,
        });
        return new ServedPack(child, client, engine, () => stderr, modules);
    }

    async info(): Promise<ServedPackInfo> {
        const res: any = await call(this.client, "getAnalyzerInfo", new Empty());
        return {
            name: res.getName(),
            version: res.getVersion(),
            policies: res.getPoliciesList().map((p: any): ServedPolicy => {
                const schema = p.getConfigschema();
                return {
                    name: p.getName(),
                    description: p.getDescription(),
                    enforcementLevel: LEVELS[p.getEnforcementlevel()],
                    ...(SEVERITIES[p.getSeverity()] ? { severity: SEVERITIES[p.getSeverity()] } : {}),
                    ...(schema
                        ? {
                              configSchema: {
                                  properties: schema.getProperties()?.toJavaScript() ?? {},
                                  required: schema.getRequiredList(),
                              },
                          }
                        : {}),
                };
            }),
        };
    }

    async configureStack(stack: string, project: string): Promise<void> {
        const req = new analyzerproto.AnalyzerStackConfigureRequest();
        req.setStack(stack);
        req.setProject(project);
        req.setOrganization("organization");
        req.setDryRun(true);
        await call(this.client, "configureStack", req);
    }

    async configure(config: Map<string, { enforcementLevel: string; properties: Json }>): Promise<void> {
        const req = new analyzerproto.ConfigureAnalyzerRequest();
        const map = req.getPolicyconfigMap();
        for (const [name, c] of config) {
            const pc = new analyzerproto.PolicyConfig();
            pc.setEnforcementlevel(LEVEL_CODES[c.enforcementLevel]);
            pc.setProperties(Struct.fromJavaScript(c.properties));
            map.set(name, pc);
        }
        await call(this.client, "configure", req);
    }

    private options(r: AnalyzedResource): unknown {
        const o = new analyzerproto.AnalyzerResourceOptions();
        o.setProtect(r.options.protect);
        o.setIgnorechangesList(r.options.ignoreChanges);
        o.setDeletebeforereplace(r.options.deleteBeforeReplace);
        o.setDeletebeforereplacedefined(r.options.deleteBeforeReplaceDefined);
        o.setAdditionalsecretoutputsList(r.options.additionalSecretOutputs);
        o.setAliasesList([]);
        o.setCustomtimeouts(new analyzerproto.AnalyzerResourceOptions.CustomTimeouts());
        o.setParent(r.options.parent);
        return o;
    }

    private provider(r: AnalyzedResource): unknown {
        if (!r.provider) return undefined;
        const p = new analyzerproto.AnalyzerProviderResource();
        p.setType(r.provider.type);
        p.setUrn(r.provider.urn);
        p.setName(r.provider.name);
        p.setProperties(Struct.fromJavaScript(r.provider.properties));
        return p;
    }

    private violations(list: any[], fallbackUrn: string): PolicyViolation[] {
        return list.map((d: any): PolicyViolation => {
            const severity = SEVERITIES[d.getSeverity()];
            return {
                policyPack: d.getPolicypackname(),
                policy: d.getPolicyname(),
                enforcementLevel: LEVELS[d.getEnforcementlevel()],
                urn: d.getUrn() || fallbackUrn,
                message: d.getMessage(),
                ...(severity ? { severity } : {}),
            };
        });
    }

    async analyze(r: AnalyzedResource): Promise<PolicyViolation[]> {
        const req = new analyzerproto.AnalyzeRequest();
        req.setType(r.type);
        req.setUrn(r.urn);
        req.setName(r.name);
        req.setProperties(Struct.fromJavaScript(r.properties));
        req.setOptions(this.options(r));
        const provider = this.provider(r);
        if (provider) req.setProvider(provider);
        const res: any = await call(this.client, "analyze", req);
        return this.violations(res.getDiagnosticsList(), r.urn);
    }

    async analyzeStack(resources: AnalyzedResource[]): Promise<PolicyViolation[]> {
        const req = new analyzerproto.AnalyzeStackRequest();
        req.setResourcesList(
            resources.map((r) => {
                const a = new analyzerproto.AnalyzerResource();
                a.setType(r.type);
                a.setUrn(r.urn);
                a.setName(r.name);
                a.setProperties(Struct.fromJavaScript(r.properties));
                a.setOptions(this.options(r));
                const provider = this.provider(r);
                if (provider) a.setProvider(provider);
                a.setParent(r.parent);
                a.setDependenciesList(r.dependencies);
                return a;
            }),
        );
        const res: any = await call(this.client, "analyzeStack", req);
        return this.violations(res.getDiagnosticsList(), "");
    }

    /** Stops the pack; returns every module file it loaded. */
    async stop(): Promise<string[]> {
        this.client.close();
        const exited = new Promise((resolve) =>
            this.child.exitCode !== null ? resolve(undefined) : this.child.once("exit", resolve),
        );
        this.child.kill("SIGTERM");
        await exited;
        await this.engine.close();
        return readRecord(this.modules).modules;
    }
}
