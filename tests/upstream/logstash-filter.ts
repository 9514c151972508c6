/**
 * Runs the filter section of a Logstash pipeline on events, for the constructs the program's pipeline uses:
 * `if`/`else if`/`else` with `[field]`, `![field]`, `[field] == "x"` and `and`; `mutate { rename | replace }`;
 * `grok { match => { "field" => "regex" } tag_on_failure => [] }` (named groups `(?<name>...)`). Field
 * references follow Logstash: `[a][b]` is the key b of the hash a; setting it while `a` holds a non-hash is an
 * error, which mutate reports as the tag `_mutate_error`, leaving the event unchanged. Unknown syntax throws,
 * so the pipeline cannot silently go unchecked. (No Logstash is available from npm or Debian here.)
 */
type Event = Record<string, unknown>;

const path = (ref: string) => {
    const parts = [...ref.matchAll(/\[([^\]]+)\]/g)].map((m) => m[1]);
    return parts.length ? parts : [ref];
};

function get(e: Event, ref: string): unknown {
    return path(ref).reduce<unknown>(
        (v, k) => (v && typeof v === "object" && !Array.isArray(v) ? (v as Event)[k] : undefined),
        e,
    );
}

function set(e: Event, ref: string, value: unknown): void {
    const parts = path(ref);
    let cur: Event = e;
    for (const k of parts.slice(0, -1)) {
        if (cur[k] === undefined) cur[k] = {};
        else if (typeof cur[k] !== "object" || cur[k] === null || Array.isArray(cur[k]))
            throw new Error(`Could not set field '${parts.at(-1)}' on object '${k}': '${k}' is not a hash`);
        cur = cur[k] as Event;
    }
    cur[parts.at(-1)!] = value;
}

function remove(e: Event, ref: string): void {
    const parts = path(ref);
    const parent = parts.slice(0, -1).reduce<unknown>((v, k) => (v && typeof v === "object" ? (v as Event)[k] : undefined), e);
    if (parent && typeof parent === "object") delete (parent as Event)[parts.at(-1)!];
}

const tag = (e: Event, t: string) => {
    e.tags = [...((e.tags as string[]) ?? []), t];
};

class Parser {
    private i = 0;
    constructor(private readonly src: string) {}
    private ws() {
        while (this.i < this.src.length && /[\s]/.test(this.src[this.i])) this.i++;
    }
    peek(word: string): boolean {
        this.ws();
        return this.src.startsWith(word, this.i);
    }
    expect(word: string) {
        if (!this.peek(word)) throw new Error(`expected ${word} at ${this.src.slice(this.i, this.i + 40)}`);
        this.i += word.length;
    }
    string(): string {
        this.ws();
        const q = this.src[this.i];
        if (q !== '"' && q !== "'") throw new Error(`expected a string at ${this.src.slice(this.i, this.i + 40)}`);
        let out = "";
        this.i++;
        while (this.src[this.i] !== q) {
            if (this.src[this.i] === "\\" && this.src[this.i + 1] === q) this.i++;
            out += this.src[this.i++];
        }
        this.i++;
        return out;
    }
    word(): string {
        this.ws();
        const m = /^[A-Za-z_][\w]*/.exec(this.src.slice(this.i));
        if (!m) throw new Error(`expected a word at ${this.src.slice(this.i, this.i + 40)}`);
        this.i += m[0].length;
        return m[0];
    }
    fieldRef(): string {
        this.ws();
        const m = /^(\[[^\]]+\])+/.exec(this.src.slice(this.i));
        if (!m) throw new Error(`expected a field reference at ${this.src.slice(this.i, this.i + 40)}`);
        this.i += m[0].length;
        return m[0];
    }
    hash(): Array<[string, string]> {
        this.expect("{");
        const out: Array<[string, string]> = [];
        while (!this.peek("}")) {
            const k = this.string();
            this.expect("=>");
            out.push([k, this.string()]);
        }
        this.expect("}");
        return out;
    }
    /** A block of statements as a function over an event. */
    block(): (e: Event) => void {
        this.expect("{");
        const statements: Array<(e: Event) => void> = [];
        while (!this.peek("}")) statements.push(this.statement());
        this.expect("}");
        return (e) => statements.forEach((s) => s(e));
    }
    condition(): (e: Event) => boolean {
        const terms: Array<(e: Event) => boolean> = [];
        do {
            const negate = this.peek("!");
            if (negate) this.expect("!");
            const ref = this.fieldRef();
            if (this.peek("==")) {
                this.expect("==");
                const value = this.string();
                terms.push((e) => get(e, ref) === value);
            } else terms.push(negate ? (e) => !get(e, ref) : (e) => Boolean(get(e, ref)));
        } while (this.peek("and") && (this.expect("and"), true));
        return (e) => terms.every((t) => t(e));
    }
    statement(): (e: Event) => void {
        const w = this.word();
        if (w === "if") {
            const branches: Array<[(e: Event) => boolean, (e: Event) => void]> = [[this.condition(), this.block()]];
            let otherwise: ((e: Event) => void) | undefined;
            while (this.peek("else")) {
                this.expect("else");
                if (this.peek("if")) {
                    this.expect("if");
                    branches.push([this.condition(), this.block()]);
                } else otherwise = this.block();
            }
            return (e) => {
                const hit = branches.find(([c]) => c(e));
                if (hit) hit[1](e);
                else otherwise?.(e);
            };
        }
        if (w === "mutate") {
            this.expect("{");
            const ops: Array<[string, Array<[string, string]>]> = [];
            while (!this.peek("}")) {
                const op = this.word();
                if (op !== "rename" && op !== "replace") throw new Error(`mutate ${op} is not supported`);
                this.expect("=>");
                ops.push([op, this.hash()]);
            }
            this.expect("}");
            return (e) => {
                const before = JSON.stringify(e);
                try {
                    for (const [op, pairs] of ops) {
                        for (const [from, to] of pairs) {
                            const src = from.startsWith("[") ? from : `[${from}]`;
                            if (op === "replace") set(e, src, to);
                            else if (get(e, src) !== undefined) {
                                const value = get(e, src);
                                set(e, to.startsWith("[") ? to : `[${to}]`, value);
                                remove(e, src);
                            }
                        }
                    }
                } catch {
                    for (const k of Object.keys(e)) delete e[k];
                    Object.assign(e, JSON.parse(before));
                    tag(e, "_mutate_error");
                }
            };
        }
        if (w === "grok") {
            this.expect("{");
            let match: Array<[string, string]> = [];
            while (!this.peek("}")) {
                const opt = this.word();
                this.expect("=>");
                if (opt === "match") match = this.hash();
                else if (opt === "tag_on_failure") {
                    this.expect("[");
                    this.expect("]");
                } else throw new Error(`grok ${opt} is not supported`);
            }
            this.expect("}");
            return (e) => {
                for (const [field, pattern] of match) {
                    const value = get(e, `[${field}]`);
                    const m = typeof value === "string" ? new RegExp(pattern).exec(value) : null;
                    for (const [k, v] of Object.entries(m?.groups ?? {})) if (v !== undefined) set(e, `[${k}]`, v);
                }
            };
        }
        throw new Error(`unsupported statement ${w}`);
    }
}

/** The filter of a pipeline text as a function that changes an event in place. */
export function compileFilter(pipeline: string): (e: Event) => void {
    const start = pipeline.indexOf("filter {");
    if (start < 0) throw new Error("no filter section");
    const p = new Parser(pipeline.slice(start + "filter".length));
    return p.block();
}

export function field(e: Event, dotted: string): unknown {
    return get(
        e,
        dotted
            .split(".")
            .map((k) => `[${k}]`)
            .join(""),
    );
}
