import { defineResourceRule } from "../../lib/rule";
import { at, isUnknown, list } from "../../lib/values";

const WORLD = ["0.0.0.0/0", "::/0"];

/** K8S-1: the API endpoint is private, or public only for listed CIDRs (cdk-nag EKS1, Checkov CKV_AWS_38/CKV_AWS_39). */
export const eksEndpointRestricted = defineResourceRule({
    name: "eks-endpoint-restricted",
    description: "EKS API endpoints have private access on and public access off or limited to configured CIDRs.",
    severity: "high",
    enforcementLevel: "mandatory",
    remediation:
        "Set vpcConfig.endpointPrivateAccess: true and either endpointPublicAccess: false or publicAccessCidrs to the office/CI ranges.",
    requirements: ["K8S-1"],
    resourceTypes: ["aws:eks/cluster:Cluster"],
    validate({ props }, judge) {
        const vpc = props["vpcConfig"];
        judge.expect(
            at(vpc, "endpointPrivateAccess"),
            "vpcConfig.endpointPrivateAccess",
            (v) => v === true,
            "vpcConfig.endpointPrivateAccess must be true so nodes reach the API inside the VPC.",
        );
        const publicAccess = at(vpc, "endpointPublicAccess");
        if (isUnknown(publicAccess)) {
            judge.cannotJudge("vpcConfig.endpointPublicAccess");
            return;
        }
        if (publicAccess === false) {
            return;
        }
        const cidrs = at(vpc, "publicAccessCidrs");
        if (isUnknown(cidrs) || list(cidrs).some(isUnknown)) {
            judge.cannotJudge("vpcConfig.publicAccessCidrs");
            return;
        }
        const values = list(cidrs).map(String);
        if (values.length === 0 || values.some((c) => WORLD.includes(c))) {
            judge.violation(
                "the public endpoint is open to the internet: set endpointPublicAccess: false or restrict publicAccessCidrs.",
            );
        }
    },
});
