/**
 * Deterministic stand-ins for what AWS and Kubernetes would compute (CI-2): IDs, ARNs, endpoints and the
 * answers of the invokes the program uses, so references between resources resolve to recognisable values
 * without a cloud account. The same mocks serve the offline preview and every test.
 */
import * as pulumi from "@pulumi/pulumi";
import { createHash } from "crypto";

export const MOCK_ACCOUNT_ID = "123456789012";

type State = Record<string, unknown>;

function hash(...parts: string[]): string {
    return createHash("sha256").update(parts.join("|")).digest("hex");
}

/** `aws:ec2/securityGroup:SecurityGroup` → `ec2`, `securityGroup`. */
function splitType(type: string): { pkg: string; module: string; resource: string } {
    const [pkg, mod = "", res = ""] = type.split(":");
    return { pkg, module: mod.split("/")[0], resource: res };
}

/** ID prefixes AWS uses for EC2-style resources. */
const EC2_PREFIX: Record<string, string> = {
    "aws:ec2/vpc:Vpc": "vpc",
    "aws:ec2/subnet:Subnet": "subnet",
    "aws:ec2/securityGroup:SecurityGroup": "sg",
    "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup": "sg",
    "aws:ec2/internetGateway:InternetGateway": "igw",
    "aws:ec2/natGateway:NatGateway": "nat",
    "aws:ec2/eip:Eip": "eipalloc",
    "aws:ec2/routeTable:RouteTable": "rtb",
    "aws:ec2/routeTableAssociation:RouteTableAssociation": "rtbassoc",
    "aws:ec2/vpcEndpoint:VpcEndpoint": "vpce",
    "aws:ec2/flowLog:FlowLog": "fl",
    "aws:ec2/launchTemplate:LaunchTemplate": "lt",
    "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": "sgr",
    "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule": "sgr",
};

export class PlanMocks implements pulumi.runtime.Mocks {
    /** Region of each provider reference (`urn::id`), so DR-region resources get DR-region ARNs. */
    private readonly providerRegions = new Map<string, string>();

    constructor(
        private readonly region: string,
        private readonly accountId = MOCK_ACCOUNT_ID,
    ) {}

    newResource(args: pulumi.runtime.MockResourceArgs): { id: string | undefined; state: State } {
        const { type, name, inputs } = args;
        if (type.startsWith("pulumi:providers:")) {
            const id = `${name}-provider-id`;
            if (typeof inputs.region === "string") this.providerRegions.set(`${this.urnHint(type, name)}`, inputs.region);
            return { id, state: { ...inputs } };
        }
        if (!args.custom) return { id: undefined, state: {} };
        const region = this.regionOf(args.provider);
        const h = hash(type, name);
        const { override, ...computed } = this.computed(type, name, inputs, region, h);
        return {
            id: (computed.id as string) ?? `${name}-${h.slice(0, 8)}`,
            state: { ...computed, ...inputs, ...(override as State | undefined) },
        };
    }

    call(args: pulumi.runtime.MockCallArgs): Record<string, unknown> {
        const region = this.regionOf(args.provider);
        switch (args.token) {
            case "aws:index/getCallerIdentity:getCallerIdentity":
                return {
                    accountId: this.accountId,
                    arn: `arn:aws:iam::${this.accountId}:user/offline-preview`,
                    userId: "AIDAOFFLINEPREVIEW",
                    id: this.accountId,
                };
            case "aws:index/getPartition:getPartition":
                return { partition: "aws", dnsSuffix: "amazonaws.com", reverseDnsPrefix: "com.amazonaws", id: "aws" };
            case "aws:index/getRegion:getRegion":
                return { name: region, region, endpoint: `ec2.${region}.amazonaws.com`, description: region, id: region };
            case "aws:index/getAvailabilityZones:getAvailabilityZones": {
                const letters = ["a", "b", "c", "d"];
                return {
                    names: letters.map((l) => `${region}${l}`),
                    zoneIds: letters.map((_, i) => `${region.replace(/-/g, "").slice(0, 4)}-az${i + 1}`),
                    id: region,
                };
            }
            case "aws:lb/getLoadBalancer:getLoadBalancer": {
                // The ALB the load balancer controller creates for an Ingress, found by its tags (ALARM-1).
                const tags = (args.inputs.tags as Record<string, string>) ?? {};
                const lbName = `k8s-${hash(JSON.stringify(tags)).slice(0, 20)}`;
                const lbId = hash("lb", JSON.stringify(tags)).slice(0, 16);
                const arnSuffix = `app/${lbName}/${lbId}`;
                return {
                    arn: `arn:aws:elasticloadbalancing:${region}:${this.accountId}:loadbalancer/${arnSuffix}`,
                    arnSuffix,
                    name: lbName,
                    dnsName: `${lbName}-1234567890.${region}.elb.amazonaws.com`,
                    tags,
                    id: arnSuffix,
                };
            }
            default:
                throw new Error(
                    `the offline preview has no answer for the invoke ${args.token}; add one to tools/plan/mocks.ts (PlanMocks.call)`,
                );
        }
    }

    private urnHint(type: string, name: string): string {
        return `${type}::${name}`;
    }

    private regionOf(provider: string | undefined): string {
        if (!provider) return this.region;
        // Provider references look like `<urn>::<id>`; the URN ends with `<parents' types>$<type>::<name>`.
        const parts = provider.split("::");
        const key = parts.length >= 3 ? `${parts[parts.length - 3].split("$").pop()}::${parts[parts.length - 2]}` : provider;
        return this.providerRegions.get(key) ?? this.region;
    }

    /** Provider-computed outputs by type. `override` wins over inputs (for values AWS normalises). */
    private computed(type: string, name: string, inputs: State, region: string, h: string): State {
        const acct = this.accountId;
        const { pkg, module, resource } = splitType(type);
        if (pkg === "kubernetes") {
            const metadata = (inputs.metadata as State) ?? {};
            return {
                id: `${(metadata.namespace as string) ?? "default"}/${(metadata.name as string) ?? name}`,
                override: { metadata: { name: `${name}-${h.slice(0, 8)}`, ...metadata, uid: h.slice(0, 32) } },
                // An Ingress of the AWS Load Balancer Controller reports the ALB it created.
                status:
                    type === "kubernetes:networking.k8s.io/v1:Ingress"
                        ? {
                              loadBalancer: {
                                  ingress: [{ hostname: `k8s-${h.slice(0, 8)}-${h.slice(8, 18)}.${region}.elb.amazonaws.com` }],
                              },
                          }
                        : {},
            };
        }
        if (type === "random:index/randomId:RandomId") {
            // RandomId has no `result`: its outputs are the same bytes in several encodings (the id is b64Url).
            const bytes = Buffer.from(h.slice(0, 2 * Number(inputs.byteLength ?? 8)), "hex");
            const b64Url = bytes.toString("base64url");
            return {
                id: b64Url,
                b64Url,
                b64Std: bytes.toString("base64"),
                hex: bytes.toString("hex"),
                dec: BigInt(`0x${bytes.toString("hex") || "0"}`).toString(),
            };
        }
        if (pkg === "random") {
            return {
                id: h.slice(0, 16),
                result: `offline-${h.slice(0, 24)}`,
                hex: h.slice(0, 16),
                b64Std: Buffer.from(h.slice(0, 12)).toString("base64"),
            };
        }
        if (pkg === "postgresql") return { id: (inputs.name as string) ?? name };

        const physical = (inputs.name as string) ?? `${name}-${h.slice(0, 7)}`;
        const out: State = {
            arn: `arn:aws:${module}:${region}:${acct}:${resource.toLowerCase()}/${physical}`,
            name: physical,
            tagsAll: inputs.tags ?? {},
        };
        const ec2 = EC2_PREFIX[type];
        if (ec2) {
            out.id = `${ec2}-${h.slice(0, 17)}`;
            out.arn = `arn:aws:ec2:${region}:${acct}:${ec2 === "sg" ? "security-group" : resource.toLowerCase()}/${out.id}`;
        }
        switch (type) {
            case "aws:ec2/launchTemplate:LaunchTemplate":
                return { ...out, latestVersion: 1, defaultVersion: 1 };
            case "aws:ec2/natGateway:NatGateway":
                return { ...out, publicIp: `198.51.100.${parseInt(h.slice(0, 2), 16) % 250}` };
            case "aws:kms/key:Key": {
                const keyId = `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
                return { id: keyId, keyId, arn: `arn:aws:kms:${region}:${acct}:key/${keyId}` };
            }
            case "aws:kms/alias:Alias":
                return { id: physical, arn: `arn:aws:kms:${region}:${acct}:${physical}` };
            case "aws:iam/role:Role":
                return {
                    id: physical,
                    name: physical,
                    arn: `arn:aws:iam::${acct}:role/${physical}`,
                    uniqueId: `AROA${h.slice(0, 17).toUpperCase()}`,
                };
            case "aws:iam/openIdConnectProvider:OpenIdConnectProvider": {
                const arn = `arn:aws:iam::${acct}:oidc-provider/${String(inputs.url).replace(/^https:\/\//, "")}`;
                return { id: arn, arn };
            }
            case "aws:iam/policy:Policy":
                return {
                    id: `arn:aws:iam::${acct}:policy/${physical}`,
                    arn: `arn:aws:iam::${acct}:policy/${physical}`,
                    name: physical,
                };
            case "aws:iam/rolePolicy:RolePolicy":
            case "aws:iam/rolePolicyAttachment:RolePolicyAttachment":
                return { id: `${physical}` };
            case "aws:cloudwatch/logGroup:LogGroup":
                return { id: physical, arn: `arn:aws:logs:${region}:${acct}:log-group:${physical}` };
            case "aws:eks/cluster:Cluster": {
                const endpointId = h.slice(0, 32).toUpperCase();
                return {
                    id: physical,
                    arn: `arn:aws:eks:${region}:${acct}:cluster/${physical}`,
                    endpoint: `https://${endpointId}.gr7.${region}.eks.amazonaws.com`,
                    certificateAuthority: { data: Buffer.from(`offline-preview-ca-${physical}`).toString("base64") },
                    identities: [{ oidcs: [{ issuer: `https://oidc.eks.${region}.amazonaws.com/id/${endpointId}` }] }],
                    status: "ACTIVE",
                    platformVersion: "eks.1",
                    override: {
                        vpcConfig: { ...((inputs.vpcConfig as State) ?? {}), clusterSecurityGroupId: `sg-${h.slice(20, 37)}` },
                    },
                };
            }
            case "aws:eks/nodeGroup:NodeGroup":
                return {
                    id: `${inputs.clusterName}:${inputs.nodeGroupName ?? physical}`,
                    arn: `arn:aws:eks:${region}:${acct}:nodegroup/${inputs.clusterName}/${inputs.nodeGroupName ?? physical}/${h.slice(0, 8)}`,
                    status: "ACTIVE",
                };
            case "aws:eks/addon:Addon":
                return {
                    id: `${inputs.clusterName}:${inputs.addonName}`,
                    arn: `arn:aws:eks:${region}:${acct}:addon/${inputs.clusterName}/${inputs.addonName}/${h.slice(0, 8)}`,
                };
            case "aws:eks/podIdentityAssociation:PodIdentityAssociation":
                return {
                    id: `a-${h.slice(0, 17)}`,
                    associationId: `a-${h.slice(0, 17)}`,
                    associationArn: `arn:aws:eks:${region}:${acct}:podidentityassociation/${inputs.clusterName}/a-${h.slice(0, 17)}`,
                };
            case "aws:ecr/repository:Repository":
                return {
                    id: physical,
                    arn: `arn:aws:ecr:${region}:${acct}:repository/${physical}`,
                    repositoryUrl: `${acct}.dkr.ecr.${region}.amazonaws.com/${physical}`,
                    registryId: acct,
                };
            case "aws:rds/instance:Instance": {
                const ident = (inputs.identifier as string) ?? physical;
                const address = `${ident}.c${h.slice(0, 11)}.${region}.rds.amazonaws.com`;
                return {
                    id: ident,
                    identifier: ident,
                    arn: `arn:aws:rds:${region}:${acct}:db:${ident}`,
                    address,
                    endpoint: `${address}:5432`,
                    port: 5432,
                    resourceId: `db-${h.slice(0, 26).toUpperCase()}`,
                    masterUserSecrets: [
                        {
                            secretArn: `arn:aws:secretsmanager:${region}:${acct}:secret:rds!db-${h.slice(0, 8)}-${h.slice(8, 14)}`,
                            kmsKeyId: inputs.masterUserSecretKmsKeyId ?? "",
                            secretStatus: "active",
                        },
                    ],
                };
            }
            case "aws:elasticache/replicationGroup:ReplicationGroup": {
                const id = (inputs.replicationGroupId as string) ?? physical;
                return {
                    id,
                    arn: `arn:aws:elasticache:${region}:${acct}:replicationgroup:${id}`,
                    primaryEndpointAddress: `master.${id}.${h.slice(0, 6)}.${region}.cache.amazonaws.com`,
                    readerEndpointAddress: `replica.${id}.${h.slice(0, 6)}.${region}.cache.amazonaws.com`,
                    memberClusters: Array.from(
                        { length: Number(inputs.numCacheClusters ?? 2) },
                        (_, i) => `${id}-${String(i + 1).padStart(3, "0")}`,
                    ),
                };
            }
            case "aws:s3/bucket:Bucket":
            case "aws:s3/bucketV2:BucketV2": {
                const bucket = (inputs.bucket as string) ?? `${name}-${h.slice(0, 7)}`;
                return {
                    id: bucket,
                    bucket,
                    arn: `arn:aws:s3:::${bucket}`,
                    bucketDomainName: `${bucket}.s3.amazonaws.com`,
                    bucketRegionalDomainName: `${bucket}.s3.${region}.amazonaws.com`,
                    region,
                };
            }
            case "aws:cloudfront/distribution:Distribution":
                return {
                    id: `E${h.slice(0, 13).toUpperCase()}`,
                    arn: `arn:aws:cloudfront::${acct}:distribution/E${h.slice(0, 13).toUpperCase()}`,
                    domainName: `d${h.slice(0, 13)}.cloudfront.net`,
                    hostedZoneId: "Z2FDTNDATAQYW2",
                    status: "Deployed",
                };
            case "aws:secretsmanager/secret:Secret":
                return {
                    id: `arn:aws:secretsmanager:${region}:${acct}:secret:${physical}-${h.slice(0, 6)}`,
                    arn: `arn:aws:secretsmanager:${region}:${acct}:secret:${physical}-${h.slice(0, 6)}`,
                };
            case "aws:sns/topic:Topic":
                return { id: `arn:aws:sns:${region}:${acct}:${physical}`, arn: `arn:aws:sns:${region}:${acct}:${physical}` };
            case "aws:lambda/function:Function":
                return {
                    arn: `arn:aws:lambda:${region}:${acct}:function:${physical}`,
                    invokeArn: `arn:aws:apigateway:${region}:lambda:path/2015-03-31/functions/arn:aws:lambda:${region}:${acct}:function:${physical}/invocations`,
                    version: "$LATEST",
                };
            case "aws:acm/certificate:Certificate": {
                const domain = (inputs.domainName as string) ?? "example.com";
                const names = [domain, ...((inputs.subjectAlternativeNames as string[]) ?? []).filter((d) => d !== domain)];
                return {
                    arn: `arn:aws:acm:${region}:${acct}:certificate/${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`,
                    domainValidationOptions: names.map((d) => ({
                        domainName: d,
                        resourceRecordName: `_${hash(d).slice(0, 32)}.${d}.`,
                        resourceRecordType: "CNAME",
                        resourceRecordValue: `_${hash("v", d).slice(0, 32)}.acm-validations.aws.`,
                    })),
                };
            }
            case "aws:route53/zone:Zone":
                return {
                    id: `Z${h.slice(0, 20).toUpperCase()}`,
                    zoneId: `Z${h.slice(0, 20).toUpperCase()}`,
                    nameServers: ["ns-1.awsdns-00.org", "ns-2.awsdns-00.net"],
                };
            case "aws:backup/vault:Vault":
                return { id: physical, arn: `arn:aws:backup:${region}:${acct}:backup-vault:${physical}` };
            case "aws:backup/plan:Plan":
                return {
                    id: h.slice(0, 36),
                    arn: `arn:aws:backup:${region}:${acct}:backup-plan:${h.slice(0, 36)}`,
                    version: h.slice(0, 12),
                };
            case "aws:synthetics/canary:Canary":
                return {
                    id: physical,
                    arn: `arn:aws:synthetics:${region}:${acct}:canary:${physical}`,
                    engineArn: `arn:aws:lambda:${region}:${acct}:function:cwsyn-${physical}-${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}:1`,
                    sourceLocationArn: `arn:aws:lambda:${region}:${acct}:layer:cwsyn-${physical}:1`,
                    status: "RUNNING",
                };
            case "aws:cloudwatch/metricAlarm:MetricAlarm":
                return { arn: `arn:aws:cloudwatch:${region}:${acct}:alarm:${physical}` };
            case "aws:wafv2/webAcl:WebAcl":
                return {
                    id: h.slice(0, 36),
                    arn: `arn:aws:wafv2:${region}:${acct}:regional/webacl/${physical}/${h.slice(0, 36)}`,
                    capacity: 700,
                };
            default:
                return out;
        }
    }
}
