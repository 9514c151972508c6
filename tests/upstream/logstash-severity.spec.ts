/**
 * #14 item 4 (LOG-1, LOG-2): the Logstash pipeline's field paths are sound for the records Fluent Bit really
 * sends (tests/upstream/logging/fluent-bit-records.yaml, with its source): `log` arrives as a string, so the
 * severity may only go to ECS `log.level` once the raw line has moved to `message` (or `event.original`).
 * The filter runs through tests/upstream/logstash-filter.ts, which follows Logstash's field-reference rules
 * (a real Logstash is available from neither npm nor Debian here).
 */
import { strict as assert } from "assert";
import { logstashPipeline } from "../../components/logging";
import { compileFilter, field } from "./logstash-filter";
import { readData, Source } from "./support";

interface Records {
    source: Source;
    records: { name: string; record: Record<string, unknown>; expect: Record<string, unknown> }[];
}
const DATA = readData<Records>("logging", "fluent-bit-records.yaml");

function run(pipeline: string, record: Record<string, unknown>): Record<string, unknown> {
    const event = JSON.parse(JSON.stringify(record));
    compileFilter(pipeline)(event);
    return event;
}

describe("#14 item 4 (LOG-1, LOG-2): Logstash severity on records shaped as Fluent Bit emits them", () => {
    it("the interpreter follows Logstash: renaming into [log][level] while log is a string is a _mutate_error", () => {
        const broken = 'filter {\n  if [severity] { mutate { rename => { "severity" => "[log][level]" } } }\n}';
        const out = run(broken, { log: "ERROR x", severity: "ERROR" });
        assert.deepEqual(out.tags, ["_mutate_error"]);
        assert.equal(out.severity, "ERROR");
        assert.throws(() => compileFilter('filter {\n  ruby { code => "" }\n}'), /unsupported statement ruby/);
    });

    for (const { name, record, expect } of DATA.records) {
        it(`${name}: ${JSON.stringify(expect)}`, () => {
            const out = run(logstashPipeline(), record);
            assert.equal(out.tags, undefined, `tags ${JSON.stringify(out.tags)}`);
            for (const [k, v] of Object.entries(expect)) assert.equal(field(out, k), v, k);
            if (!("log.level" in expect)) assert.equal(field(out, "log.level"), undefined);
            assert.equal(out.severity, undefined, "severity is moved, not copied");
            assert.ok(
                out.log === undefined || (typeof out.log === "object" && !Array.isArray(out.log)),
                "log is the ECS object or absent",
            );
        });
    }
});
