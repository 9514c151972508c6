/**
 * The DR-1 restore switch: where a PostgresDatabase takes its data from when it is (re)built.
 *
 * `none` builds an empty instance. A snapshot or a point in time builds a new instance from that source;
 * because both settings force a replacement, the instance identifier gets a suffix derived from the source
 * so the new instance can exist beside the old one while it is created (see docs/components/postgres.md).
 */
import { createHash } from "crypto";

/** Restore from a manual or automated DB snapshot (identifier or ARN; an ARN for a shared or copied snapshot). */
export interface SnapshotRestore {
    source: "snapshot";
    snapshotIdentifier: string;
}

/** Restore an instance's automated backups to a point in time (point-in-time recovery). */
export interface PointInTimeRestore {
    source: "pointInTime";
    /** Identifier of the source instance (exactly one of this and sourceDbiResourceId). */
    sourceDbInstanceIdentifier?: string;
    /** Resource ID (`db-...`) of the source, usable after the source instance is gone. */
    sourceDbiResourceId?: string;
    /** UTC time to restore to, RFC 3339 (exactly one of this and useLatestRestorableTime). */
    restoreTime?: string;
    /** Restore to the latest restorable time (about five minutes behind). */
    useLatestRestorableTime?: boolean;
}

/** No restore: a new, empty instance. */
export interface NoRestore {
    source: "none";
}

export type RestoreSource = NoRestore | SnapshotRestore | PointInTimeRestore;

/**
 * The identifier suffix of a restored instance: `r` and 6 hex digits of the restore source, stable for one
 * source and different for every other one, so each restore is a new identifier.
 */
export function restoreSuffix(restore: RestoreSource): string | undefined {
    if (restore.source === "none") return undefined;
    const canonical = JSON.stringify(Object.entries(restore).sort(([a], [b]) => a.localeCompare(b)));
    return `r${createHash("sha256").update(canonical).digest("hex").slice(0, 6)}`;
}

/** The aws.rds.Instance arguments a restore source sets. */
export function restoreInstanceArgs(restore: RestoreSource): {
    snapshotIdentifier?: string;
    restoreToPointInTime?: {
        sourceDbInstanceIdentifier?: string;
        sourceDbiResourceId?: string;
        restoreTime?: string;
        useLatestRestorableTime?: boolean;
    };
} {
    switch (restore.source) {
        case "none":
            return {};
        case "snapshot":
            return { snapshotIdentifier: restore.snapshotIdentifier };
        case "pointInTime": {
            const { source: _source, ...pit } = restore;
            return { restoreToPointInTime: pit };
        }
    }
}
