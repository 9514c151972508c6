/** The three ElastiCache forms (CACHE-1, POL-4): replication groups, standalone clusters, serverless caches. */
import { isUnknown, type Props } from "./values";

export const REPLICATION_GROUP = "aws:elasticache/replicationGroup:ReplicationGroup";
export const CACHE_CLUSTER = "aws:elasticache/cluster:Cluster";
export const SERVERLESS_CACHE = "aws:elasticache/serverlessCache:ServerlessCache";
export const CACHE_TYPES = [REPLICATION_GROUP, CACHE_CLUSTER, SERVERLESS_CACHE];

/**
 * A cache cluster that joins a replication group takes encryption, AUTH and subnets from the group, which the
 * rules judge; "unknown" while the group id is unknown in a preview.
 */
export function memberOfGroup(type: string, props: Props): boolean | "unknown" {
    if (type !== CACHE_CLUSTER) {
        return false;
    }
    const group = props["replicationGroupId"];
    if (isUnknown(group)) {
        return "unknown";
    }
    return typeof group === "string" && group !== "";
}
