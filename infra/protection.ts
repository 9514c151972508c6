/**
 * Keeping the stack's data (STORE-1, BKP-1, SEC-1, SEC-3): when `protection.protect` is on, every resource
 * whose loss loses data or the means to read it gets Pulumi's `protect` option, whichever component declares
 * it. A stack transformation sees every resource the program registers after it, so a new bucket, key,
 * vault or secret is covered without its component knowing about stacks.
 */
import * as pulumi from "@pulumi/pulumi";

/** The resource types protected: keys (data is unreadable without them), buckets, backup vaults, secrets. */
export const PROTECTED_TYPES: readonly string[] = [
    "aws:kms/key:Key",
    "aws:s3/bucket:Bucket",
    "aws:backup/vault:Vault",
    "aws:secretsmanager/secret:Secret",
];

/** The transformation: `protect: true` on the protected types, nothing else changed. */
export function protectDataTransformation(
    args: pulumi.ResourceTransformationArgs,
): pulumi.ResourceTransformationResult | undefined {
    if (!PROTECTED_TYPES.includes(args.type)) return undefined;
    return { props: args.props, opts: pulumi.mergeOptions(args.opts, { protect: true }) };
}

/** Registers the transformation on the stack when `enabled`; call before any resource is declared. */
export function protectData(enabled: boolean): void {
    if (enabled) pulumi.runtime.registerStackTransformation(protectDataTransformation);
}
