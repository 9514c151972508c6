/**
 * Replace-forcing properties per resource type (CI-3), kept as data with their source in
 * tools/plan/replace-data/<provider>.json, one file per provider package, each recording the package version it
 * was taken for (tests/tools/replace-data.spec.ts fails when the installed package differs, and when a type the
 * program declares has no entry). tools/plan/replace-data/refresh.ts rebuilds the files; see docs/ci.md.
 *
 * A changed resource gets one of three verdicts:
 * - `replace`: a replace-forcing property changed (the rule and its source are reported);
 * - `update`: the type has data and no replace-forcing property changed;
 * - `may-replace`: the type has no data, or its data says that any change may replace it. Never `update`.
 */
import * as fs from "fs";
import * as path from "path";
import { isSecret, jsonEqual } from "./normalise";
import { isRecord } from "../../policies/lib/values";

/** One replace-forcing property of a resource type. */
export interface ReplaceRule {
    /** Input property path (camelCase, as in the Pulumi SDK); nested blocks by dots. */
    property: string;
    /** Where the rule comes from (project, file, version). */
    source: string;
    /** `removed`: only removing the property forces replacement. */
    when?: "removed";
    /** Forces replacement only while another input is a version below `version` (explained in `source`). */
    whenBelow?: { property: string; version: string };
}

/** One resource type's entry in a data file. */
export interface ReplaceTypeData {
    /** Upstream file the entry was read from. */
    file: string;
    /** Revision (commit) of that file, when it differs per type. */
    revision?: string;
    /** Replace-forcing properties: a path, or a rule object for conditional ones. */
    replaceOn: (
        string | { property: string; when?: "removed"; whenBelow?: { property: string; version: string }; note?: string }
    )[];
    /** `may-replace`: any change of a property not listed may still replace (e.g. a provider's configuration). */
    otherChanges?: "update" | "may-replace";
    note?: string;
    /** Upstream name (camelCase) -> @pulumi/aws input name, where the bridge renames a property (`functionName` -> `name`). */
    bridgeNames?: Record<string, string>;
    /** Replace-forcing upstream paths the installed package does not accept (the checkout and the package disagree). */
    notInPackage?: string[];
}

/** A data file of tools/plan/replace-data/. */
export interface ReplaceDataFile {
    provider: string;
    /** npm package whose resources the file describes and its version (must equal the installed one). */
    package: string;
    packageVersion: string;
    /** The upstream project, the revision read and what counts as replace-forcing there. */
    upstream: { project: string; revision: string; url: string; rule: string; bridgedBy?: string };
    /** Date the file was last refreshed (YYYY-MM-DD). */
    refreshed: string;
    types: Record<string, ReplaceTypeData>;
}

export const REPLACE_DATA_DIR = path.join(__dirname, "replace-data");

/** Every data file, by file name. */
export function loadReplaceData(dir: string = REPLACE_DATA_DIR): Map<string, ReplaceDataFile> {
    const out = new Map<string, ReplaceDataFile>();
    for (const file of fs
        .readdirSync(dir)
        .filter((f) => f.endsWith(".json"))
        .sort()) {
        out.set(file, JSON.parse(fs.readFileSync(path.join(dir, file), "utf8")) as ReplaceDataFile);
    }
    return out;
}

function rulesOf(
    data: Map<string, ReplaceDataFile>,
): Record<string, { rules: ReplaceRule[]; otherChanges: "update" | "may-replace" }> {
    const table: Record<string, { rules: ReplaceRule[]; otherChanges: "update" | "may-replace" }> = {};
    for (const file of data.values()) {
        for (const [type, entry] of Object.entries(file.types)) {
            const source = `${file.upstream.project} ${entry.file} (${entry.revision ?? file.upstream.revision}), for ${file.package} ${file.packageVersion}`;
            table[type] = {
                otherChanges: entry.otherChanges ?? "update",
                rules: entry.replaceOn.map((r) =>
                    typeof r === "string"
                        ? { property: r, source }
                        : {
                              property: r.property,
                              when: r.when,
                              whenBelow: r.whenBelow,
                              source: r.note ? `${source}: ${r.note}` : source,
                          },
                ),
            };
        }
    }
    return table;
}

/** Replace-forcing rules per resource type, from the data files. */
export const REPLACE_ON_CHANGES = rulesOf(loadReplaceData());

/** true when `version` (dotted numbers) is below `floor`. */
export function versionBelow(version: unknown, floor: string): boolean {
    if (typeof version !== "string") {
        return false;
    }
    const parts = version.split(".").map((p) => Number.parseInt(p, 10));
    const min = floor.split(".").map((p) => Number.parseInt(p, 10));
    for (let i = 0; i < min.length; i++) {
        const v = Number.isFinite(parts[i]) ? parts[i] : 0;
        if (v !== min[i]) {
            return v < min[i];
        }
    }
    return false;
}

/** Reads a dotted property path (`a.b.c`) from inputs; arrays of blocks yield the list of their values. */
export function getPath(obj: unknown, property: string): unknown {
    let cur: unknown = obj;
    for (const key of property.split(".")) {
        if (Array.isArray(cur)) {
            cur = cur.map((item) => (isRecord(item) ? item[key] : undefined));
        } else if (isRecord(cur)) {
            cur = cur[key];
        } else {
            return undefined;
        }
    }
    return cur;
}

/** true when `path` is `property` or below it (`property.x`, `property[0]`). */
export function pathUnder(path: string, property: string): boolean {
    return path === property || path.startsWith(`${property}.`) || path.startsWith(`${property}[`);
}

/** A changed property path with the bracket indices of arrays removed (`a[0].b` -> `a.b`). */
function withoutIndices(p: string): string {
    return p.replace(/\[\d+\]/g, "");
}

export type ReplaceVerdict =
    | { kind: "replace"; reasons: { property: string; source: string }[] }
    | { kind: "update" }
    | { kind: "may-replace"; reason: string };

/**
 * The verdict for a changed resource of `type` (CI-3). `custom` false (a component resource) always updates:
 * a component has no cloud counterpart. `changedPaths` are the paths the property diff found.
 */
export function replaceVerdict(
    type: string,
    custom: boolean,
    oldInputs: Record<string, unknown>,
    newInputs: Record<string, unknown>,
    changedPaths: string[],
    table = REPLACE_ON_CHANGES,
): ReplaceVerdict {
    if (!custom) {
        return { kind: "update" };
    }
    const entry = table[type];
    if (!entry) {
        return { kind: "may-replace", reason: `no replace-forcing data for ${type} (tools/plan/replace-data/)` };
    }
    const reasons: { property: string; source: string }[] = [];
    for (const rule of entry.rules) {
        const before = getPath(oldInputs, rule.property);
        const after = getPath(newInputs, rule.property);
        const changed =
            isSecret(before) && isSecret(after)
                ? changedPaths.some((p) => pathUnder(withoutIndices(p), rule.property))
                : !jsonEqual(before, after);
        if (!changed) {
            continue;
        }
        if (rule.when === "removed" && !(before !== undefined && after === undefined)) {
            continue;
        }
        if (rule.whenBelow && !versionBelow(getPath(newInputs, rule.whenBelow.property), rule.whenBelow.version)) {
            continue;
        }
        reasons.push({ property: rule.property, source: rule.source });
    }
    if (reasons.length > 0) {
        return { kind: "replace", reasons };
    }
    if (entry.otherChanges === "may-replace") {
        return {
            kind: "may-replace",
            reason: `${type}: a change outside the listed properties may replace it (see its data file)`,
        };
    }
    return { kind: "update" };
}

/** true when the changed path falls under one of the replace reasons. */
export function forcesReplacement(changedPath: string, reasons: { property: string }[]): boolean {
    const p = withoutIndices(changedPath);
    return reasons.some((r) => pathUnder(p, r.property));
}
