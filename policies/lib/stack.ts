/** Joining resources in stack rules: by property dependency first, by identifier value second (POL-2). */
import type { StackResourceView } from "./rule";
import { isRecord, isUnknown, list, parseJson } from "./values";

export type Link = "yes" | "no" | "unknown";

/**
 * Whether `from.props[prop]` refers to `target`: its propertyDependencies name the target's URN, or its
 * value equals one of the target's identifier properties (id, arn, name…). Unknown when the value is
 * unknown and no dependency says where it comes from.
 */
export function refersTo(from: StackResourceView, prop: string, target: StackResourceView, idProps: string[]): Link {
    const sources = from.propertyDependencies[prop] ?? [];
    if (sources.includes(target.urn)) {
        return "yes";
    }
    const value = from.props[prop];
    if (value === undefined || value === null) {
        return "no";
    }
    if (isUnknown(value)) {
        // An unknown value whose recorded sources are other resources does not come from the target.
        return sources.length > 0 ? "no" : "unknown";
    }
    const wanted = list(value).filter((v) => typeof v === "string" && !isUnknown(v));
    const ids = idProps.map((p) => target.props[p]).filter((v) => typeof v === "string" && v !== "" && !isUnknown(v));
    return wanted.some((w) => ids.includes(w)) ? "yes" : "no";
}

/** Combines several links: yes wins, then unknown. */
export function anyLink(links: Link[]): Link {
    if (links.includes("yes")) {
        return "yes";
    }
    return links.includes("unknown") ? "unknown" : "no";
}

export function ofTypes(resources: StackResourceView[], types: string[]): StackResourceView[] {
    return resources.filter((r) => types.includes(r.type));
}

/** AWS provider default tags: the provider input is a JSON string (as the SDK sends it) or an object. */
export function defaultTagsOfProvider(providerProps: Record<string, unknown>): Record<string, unknown> | "unknown" {
    const raw = providerProps["defaultTags"];
    if (isUnknown(raw)) {
        return "unknown";
    }
    const parsed = parseJson(raw);
    if (!isRecord(parsed)) {
        return {};
    }
    const tags = parsed["tags"];
    if (isUnknown(tags)) {
        return "unknown";
    }
    return isRecord(tags) ? tags : {};
}

export const BUCKET_TYPES = ["aws:s3/bucket:Bucket", "aws:s3/bucketV2:BucketV2"];
export const BUCKET_ID_PROPS = ["bucket", "id", "arn"];
