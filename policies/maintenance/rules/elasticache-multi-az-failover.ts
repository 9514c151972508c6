import { defineResourceRule } from "../../lib/rule";
import { asNumber } from "../../lib/values";

/** ENV-3, CACHE-1: automatic failover, Multi-AZ and at least one replica (AWSGuard, cdk-nag AEC4). Costs money: advisory in dev. */
export const elasticacheMultiAzFailover = defineResourceRule({
    name: "elasticache-multi-az-failover",
    description: "ElastiCache replication groups have automatic failover, Multi-AZ and at least one replica.",
    severity: "high",
    enforcementLevel: "mandatory",
    costOnly: true,
    remediation:
        "Set automaticFailoverEnabled: true, multiAzEnabled: true and numCacheClusters >= 2 (or replicasPerNodeGroup >= 1).",
    requirements: ["ENV-3", "CACHE-1"],
    resourceTypes: ["aws:elasticache/replicationGroup:ReplicationGroup"],
    validate({ props }, judge) {
        judge.expect(
            props["automaticFailoverEnabled"],
            "automaticFailoverEnabled",
            (v) => v === true,
            "automaticFailoverEnabled must be true.",
        );
        judge.expect(props["multiAzEnabled"], "multiAzEnabled", (v) => v === true, "multiAzEnabled must be true.");
        const clusters = props["numCacheClusters"];
        const replicas = props["replicasPerNodeGroup"];
        const value = replicas !== undefined ? replicas : clusters;
        judge.expect(
            value,
            replicas !== undefined ? "replicasPerNodeGroup" : "numCacheClusters",
            (v) => (asNumber(v) ?? 0) >= (replicas !== undefined ? 1 : 2),
            "at least one replica is needed for failover.",
        );
    },
});
