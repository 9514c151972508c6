/**
 * Entry of the security policy pack (POL-1): `pulumi preview --policy-pack policies/security`.
 * Only assembles the rules; constructing PolicyPack starts the analyzer server, so nothing imports this file.
 */
import { PolicyPack } from "@pulumi/policy";
import { toPolicy } from "../lib/rule";
import { securityRules } from "./rules";

new PolicyPack("bookbuddy-security", {
    description: "Bookbuddy security rules: encryption, network exposure, identity, secrets, audit and workload hardening.",
    enforcementLevel: "mandatory",
    policies: securityRules.map(toPolicy),
});
