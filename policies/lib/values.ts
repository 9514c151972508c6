/**
 * Reading resource properties the way the policy engine hands them over (POL-1, POL-3).
 *
 * During `pulumi preview` some inputs are not known yet; the engine passes them as sentinel strings and
 * wraps the property bag in a proxy that throws on access. Rules read the unwrapped bag through these
 * functions and treat a sentinel as "cannot judge", never as a pass or a failure.
 */

/**
 * Signatures of the Pulumi wire protocol, as the engine and the SDK write them: the value of an Output not
 * known until apply (`WIRE.unknown`, the one name of that sentinel in this repository), and the key and values
 * marking secrets, resource references, assets and archives.
 */
export const WIRE = {
    unknown: "04da6b54-80e4-46f7-96ec-b56ff0331ba9",
    signatureKey: "4dabf18193072939515e22adb298388d",
    secret: "1b47061264138c4ac30d75fd1eb44270",
    resource: "5cf8f73096256a8f31e491e813e4eb8e",
    asset: "c44067f5952c0a294b673a41bacd8c17",
    archive: "0def7320c3a5731c473e5ecbe6d01bc7",
    outputValue: "d0e6a833031e9bbcd3f4e8bde6ca49a4",
} as const;

/** The value the offline preview writes in place of every secret, in the JSON and in the printout. */
export const SECRET_PLACEHOLDER = "[secret]";
/** The sentinels of the Pulumi wire protocol for values unknown during a preview. */
export const UNKNOWN_SENTINELS: readonly string[] = [
    "1c4a061d-8072-4f0a-a4cb-0ff528b18fe7", // boolean
    "3eeb2bf0-c639-47a8-9e75-3b44932eb421", // number
    WIRE.unknown, // string (also what the Node.js SDK writes for any unknown)
    "6a19a0b0-7e62-4c92-b797-7f8e31da9cc2", // array
    "030794c1-ac77-496b-92df-f27374a8bd58", // asset
    "e48ece36-62e2-4504-bad9-02848725956a", // archive
    "dd056dcd-154b-4c76-9bd3-c8f88648b5ff", // object
];

export type Props = Record<string, unknown>;

export function isUnknown(value: unknown): boolean {
    return typeof value === "string" && UNKNOWN_SENTINELS.includes(value);
}

/** True when the value, or anything nested in it, is unknown. */
export function containsUnknown(value: unknown): boolean {
    if (isUnknown(value)) {
        return true;
    }
    if (Array.isArray(value)) {
        return value.some(containsUnknown);
    }
    if (isRecord(value)) {
        return Object.values(value).some(containsUnknown);
    }
    return false;
}

/** A plain JSON object (not null, not an array): the one such helper, used by the packs and the tools alike. */
export function isRecord(value: unknown): value is Record<string, unknown> {
    return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * The engine hands rules a proxy that throws on unknown values; this returns the plain object behind it
 * (the SDK exposes it under a documented-in-source key), or the value itself when it is not such a proxy.
 */
export function unwrap(props: unknown): Props {
    if (!isRecord(props) && !Array.isArray(props)) {
        return {};
    }
    const target = (props as Record<string, unknown>)["__getSpecialProxyTarget"];
    if (isRecord(target)) {
        return target;
    }
    return props as Props;
}

/** Reads a dotted path (`a.b.c`); stops at the first unknown and returns it, or undefined when absent. */
export function at(props: unknown, path: string): unknown {
    let current: unknown = props;
    for (const key of path.split(".")) {
        if (isUnknown(current)) {
            return current;
        }
        if (Array.isArray(current) && /^\d+$/.test(key)) {
            current = current[Number(key)];
        } else if (isRecord(current)) {
            current = current[key];
        } else {
            return undefined;
        }
    }
    return current;
}

/** Arrays as given; a single object becomes a one-element list; absent becomes empty. */
export function list(value: unknown): unknown[] {
    if (value === undefined || value === null) {
        return [];
    }
    return Array.isArray(value) ? value : [value];
}

/** Parses a JSON string (IAM documents, provider config); objects are returned as they are. */
export function parseJson(value: unknown): unknown {
    if (typeof value !== "string" || isUnknown(value)) {
        return value;
    }
    try {
        return JSON.parse(value);
    } catch {
        return undefined;
    }
}

/** Resource tags (`tags`, falling back to `tagsAll`); undefined when unknown. */
export function tagsOf(props: Props): Record<string, unknown> | undefined {
    const tags = props["tags"] ?? props["tagsAll"];
    if (isUnknown(tags)) {
        return undefined;
    }
    return isRecord(tags) ? tags : {};
}

export function asNumber(value: unknown): number | undefined {
    if (typeof value === "number") {
        return value;
    }
    if (typeof value === "string" && value.trim() !== "" && !isUnknown(value) && !Number.isNaN(Number(value))) {
        return Number(value);
    }
    return undefined;
}

/** The last URN segment is the resource name. */
export function nameFromUrn(urn: string): string {
    const parts = urn.split("::");
    return parts[parts.length - 1] ?? urn;
}
