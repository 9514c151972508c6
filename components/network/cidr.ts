/** IPv4 subnet arithmetic (like Terraform's cidrsubnet), used to carve the VPC into subnets (NET-1). */

function toInt(addr: string): number {
    return addr.split(".").reduce((acc, octet) => ((acc << 8) | Number(octet)) >>> 0, 0);
}

function toAddr(n: number): string {
    return [24, 16, 8, 0].map((s) => (n >>> s) & 255).join(".");
}

/** The `netnum`-th subnet of `base` with `newbits` more prefix bits. */
export function cidrSubnet(base: string, newbits: number, netnum: number): string {
    const [addr, bits] = base.split("/");
    const prefix = Number(bits) + newbits;
    if (prefix > 28) throw new Error(`cannot carve /${prefix} subnets out of ${base}: AWS subnets are /28 or larger`);
    if (netnum < 0 || netnum >= 2 ** newbits)
        throw new Error(`subnet number ${netnum} does not fit in ${newbits} bits of ${base}`);
    const start = (toInt(addr) + netnum * 2 ** (32 - prefix)) >>> 0;
    return `${toAddr(start)}/${prefix}`;
}

/**
 * The subnet plan for one VPC: per AZ a large private subnet (pods take VPC addresses with the VPC CNI),
 * a small public one (load balancers, NAT) and a small database one.
 *
 * For a /16: private /19s at .0/.32/.64, public /24s at .96+, database /24s at .112+.
 */
export function planSubnets(vpcCidr: string, azCount: number): { public: string[]; private: string[]; database: string[] } {
    const out = { public: [] as string[], private: [] as string[], database: [] as string[] };
    for (let i = 0; i < azCount; i++) {
        out.private.push(cidrSubnet(vpcCidr, 3, i));
        out.public.push(cidrSubnet(vpcCidr, 8, 96 + i));
        out.database.push(cidrSubnet(vpcCidr, 8, 112 + i));
    }
    return out;
}
