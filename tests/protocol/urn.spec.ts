/**
 * URNs of the offline preview equal the engine's (DEP-2, CI-2). The Pulumi engine builds a URN from the
 * parent's full qualified type (`urn:pulumi:<stack>::<project>::<A>$<B>$<type>::<name>`), leaving out the
 * root stack; the SDK's mocks keep only the immediate parent's type, which gave resources two or more
 * component levels deep a URN that `pulumi preview --json` never shows.
 */
import { strict as assert } from "assert";
import * as pulumi from "@pulumi/pulumi";
import { PlanResourceState } from "../../tools/plan/types";
import { STACKS, renderComponent, renderedStack, resources } from "../support/plan";

class Leaf extends pulumi.CustomResource {
    constructor(name: string, props: pulumi.Inputs, opts?: pulumi.CustomResourceOptions) {
        super("test:index:Leaf", name, props, opts);
    }
}

let readUrn: pulumi.Output<string> | undefined;

class Outer extends pulumi.ComponentResource {
    constructor(name: string, opts?: pulumi.ComponentResourceOptions) {
        super("test:index:Outer", name, {}, opts);
        const inner = new Inner(`${name}-inner`, { parent: this });
        this.registerOutputs({ inner: inner.urn });
    }
}

class Inner extends pulumi.ComponentResource {
    constructor(name: string, opts?: pulumi.ComponentResourceOptions) {
        super("test:index:Inner", name, {}, opts);
        const leaf = new Leaf(`${name}-leaf`, { size: 1 }, { parent: this });
        // A read (`get`) of an existing resource gets its URN the same way; reads are not recorded as steps.
        readUrn = new Leaf(`${name}-read`, {}, { parent: leaf, id: "existing-id" }).urn;
        this.registerOutputs({});
    }
}

/** The qualified type of a URN (third `::` segment), e.g. `A$B$type`. */
function qualifiedType(urn: string): string {
    return urn.split("::")[2];
}

describe("offline preview: URNs with the parent's full qualified type chain, as the engine builds them (DEP-2)", () => {
    it("gives a resource three levels deep the URN A$B$type (hand-derived from the engine's rule)", async () => {
        const doc = await renderComponent(
            () => {
                new Outer("shelf");
            },
            { stack: "urn-test" },
        );
        const urns = resources(doc).map((r) => r.urn);
        const prefix = "urn:pulumi:urn-test::bookbuddy::";
        const read = await new Promise((resolve) => readUrn!.apply(resolve));
        assert.equal(read, `${prefix}test:index:Outer$test:index:Inner$test:index:Leaf$test:index:Leaf::shelf-inner-read`);
        assert.deepEqual(
            urns.filter((u) => !u.includes("pulumi:pulumi:Stack")).sort(),
            [
                `${prefix}test:index:Outer$test:index:Inner$test:index:Leaf::shelf-inner-leaf`,
                `${prefix}test:index:Outer$test:index:Inner::shelf-inner`,
                `${prefix}test:index:Outer::shelf`,
            ].sort(),
        );
    });

    for (const stack of STACKS) {
        it(`builds every ${stack} URN from its parent's URN, the stack itself left out`, async () => {
            const all = resources(await renderedStack(stack));
            const byUrn = new Map(all.map((r) => [r.urn, r]));
            const wrong: string[] = [];
            let deep = 0;
            for (const r of all) {
                const parent: PlanResourceState | undefined = r.parent ? byUrn.get(r.parent) : undefined;
                if (r.parent && !parent) {
                    wrong.push(`${r.urn}: parent ${r.parent} was never registered`);
                    continue;
                }
                const expected =
                    !parent || parent.type === "pulumi:pulumi:Stack" ? r.type : `${qualifiedType(parent.urn)}$${r.type}`;
                if (qualifiedType(r.urn) !== expected) wrong.push(`${r.urn}: expected qualified type ${expected}`);
                if (expected.split("$").length > 2) deep++;
            }
            assert.deepEqual(wrong, []);
            assert.ok(deep > 0, `${stack} has resources two or more component levels deep; the check must see some`);
        });
    }
});
