/**
 * A small strict XML reader for the diagram tests (DOC-1): enough of XML 1.0 to check that the SVG is
 * well-formed (balanced tags, quoted attributes, known entities, one root) and to walk it.
 */
export interface XmlElement {
    name: string;
    attrs: Record<string, string>;
    children: XmlElement[];
    /** Concatenated text directly inside this element. */
    text: string;
}

const ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };

function decode(raw: string, where: number): string {
    return raw.replace(/&([^;&\s]*);?/g, (whole, name: string) => {
        if (!whole.endsWith(";")) {
            throw new Error(`unterminated entity near offset ${where}`);
        }
        if (name in ENTITIES) {
            return ENTITIES[name];
        }
        const m = /^#(x[0-9a-fA-F]+|[0-9]+)$/.exec(name);
        if (!m) {
            throw new Error(`unknown entity &${name}; near offset ${where}`);
        }
        const code = m[1].startsWith("x") ? Number.parseInt(m[1].slice(1), 16) : Number.parseInt(m[1], 10);
        return String.fromCodePoint(code);
    });
}

/** Parses an XML document; throws on any well-formedness error. Returns the root element. */
export function parseXml(xml: string): XmlElement {
    let i = 0;
    const stack: XmlElement[] = [];
    let root: XmlElement | undefined;
    const NAME = /[A-Za-z_:][A-Za-z0-9_:.-]*/y;
    const readName = (): string => {
        NAME.lastIndex = i;
        const m = NAME.exec(xml);
        if (!m) {
            throw new Error(`expected a name at offset ${i}`);
        }
        i += m[0].length;
        return m[0];
    };
    const skipWs = (): void => {
        while (i < xml.length && /\s/.test(xml[i])) {
            i++;
        }
    };
    while (i < xml.length) {
        if (xml.startsWith("<?", i)) {
            const end = xml.indexOf("?>", i);
            if (end < 0) {
                throw new Error("unterminated processing instruction");
            }
            i = end + 2;
        } else if (xml.startsWith("<!--", i)) {
            const end = xml.indexOf("-->", i);
            if (end < 0) {
                throw new Error("unterminated comment");
            }
            i = end + 3;
        } else if (xml.startsWith("<!DOCTYPE", i)) {
            if (root || stack.length > 0) {
                throw new Error("DOCTYPE after the root element");
            }
            const end = xml.indexOf(">", i);
            i = end + 1;
        } else if (xml.startsWith("</", i)) {
            i += 2;
            const name = readName();
            skipWs();
            if (xml[i] !== ">") {
                throw new Error(`expected > at offset ${i}`);
            }
            i++;
            const open = stack.pop();
            if (!open || open.name !== name) {
                throw new Error(`closing </${name}> does not match <${open?.name ?? "nothing"}> at offset ${i}`);
            }
        } else if (xml[i] === "<") {
            i++;
            const el: XmlElement = { name: readName(), attrs: {}, children: [], text: "" };
            for (;;) {
                skipWs();
                if (xml.startsWith("/>", i) || xml[i] === ">") {
                    break;
                }
                const attr = readName();
                skipWs();
                if (xml[i] !== "=") {
                    throw new Error(`attribute ${attr} without a value at offset ${i}`);
                }
                i++;
                skipWs();
                const quote = xml[i];
                if (quote !== '"' && quote !== "'") {
                    throw new Error(`unquoted attribute ${attr} at offset ${i}`);
                }
                const end = xml.indexOf(quote, i + 1);
                if (end < 0) {
                    throw new Error(`unterminated attribute ${attr}`);
                }
                const raw = xml.slice(i + 1, end);
                if (raw.includes("<")) {
                    throw new Error(`< inside attribute ${attr}`);
                }
                if (attr in el.attrs) {
                    throw new Error(`duplicate attribute ${attr}`);
                }
                el.attrs[attr] = decode(raw, i);
                i = end + 1;
            }
            const parent = stack[stack.length - 1];
            if (parent) {
                parent.children.push(el);
            } else if (root) {
                throw new Error("more than one root element");
            } else {
                root = el;
            }
            if (xml.startsWith("/>", i)) {
                i += 2;
            } else {
                i++;
                stack.push(el);
            }
        } else {
            const next = xml.indexOf("<", i);
            const end = next < 0 ? xml.length : next;
            const text = xml.slice(i, end);
            const parent = stack[stack.length - 1];
            if (parent) {
                parent.text += decode(text, i);
            } else if (text.trim() !== "") {
                throw new Error(`text outside the root element at offset ${i}`);
            }
            i = end;
        }
    }
    if (stack.length > 0) {
        throw new Error(`unclosed <${stack[stack.length - 1].name}>`);
    }
    if (!root) {
        throw new Error("no root element");
    }
    return root;
}

/** Every element of the tree (depth first, document order). */
export function allElements(root: XmlElement): XmlElement[] {
    const out: XmlElement[] = [root];
    for (const child of root.children) {
        out.push(...allElements(child));
    }
    return out;
}

/** All text under an element. */
export function textOf(el: XmlElement): string {
    return el.text + el.children.map(textOf).join("");
}
