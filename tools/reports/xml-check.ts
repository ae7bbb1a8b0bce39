/**
 * A strict, minimal XML well-formedness checker for tests of generated SVG (no XML parser is among the
 * dependencies). Handles the XML declaration, comments, elements, attributes, text and entity references;
 * throws on anything malformed and returns the elements in document order with decoded attributes and text.
 */
export interface XmlElement {
  name: string;
  attrs: Record<string, string>;
  /** Decoded text directly inside the element. */
  text: string;
  parent: XmlElement | null;
  children: XmlElement[];
}

const NAME = /^[A-Za-z_:][A-Za-z0-9_.:-]*/;
const ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };

function decode(raw: string, where: string): string {
  if (raw.includes("<")) throw new Error(`raw '<' in ${where}`);
  return raw.replace(/&([^;\s&]*);?/g, (match, ref: string) => {
    if (!match.endsWith(";")) throw new Error(`unterminated entity reference in ${where}: ${match}`);
    if (ref in ENTITIES) return ENTITIES[ref]!;
    const num = /^#(\d+)$/.exec(ref) ?? /^#x([0-9a-fA-F]+)$/.exec(ref);
    if (num) return String.fromCodePoint(parseInt(num[1]!, ref.startsWith("#x") ? 16 : 10));
    throw new Error(`unknown entity &${ref}; in ${where}`);
  });
}

export function parseXml(xml: string): { root: XmlElement; elements: XmlElement[] } {
  let i = 0;
  const elements: XmlElement[] = [];
  const stack: XmlElement[] = [];
  let root: XmlElement | null = null;
  if (xml.startsWith("<?xml")) {
    const end = xml.indexOf("?>");
    if (end < 0) throw new Error("unterminated XML declaration");
    i = end + 2;
  }
  while (i < xml.length) {
    if (xml[i] !== "<") {
      const next = xml.indexOf("<", i);
      const raw = xml.slice(i, next < 0 ? xml.length : next);
      const text = decode(raw, "text");
      if (stack.length === 0) {
        if (text.trim()) throw new Error(`text outside the root element: ${JSON.stringify(text.slice(0, 30))}`);
      } else stack[stack.length - 1]!.text += text;
      i = next < 0 ? xml.length : next;
      continue;
    }
    if (xml.startsWith("<!--", i)) {
      const end = xml.indexOf("-->", i + 4);
      if (end < 0) throw new Error("unterminated comment");
      i = end + 3;
      continue;
    }
    if (xml.startsWith("</", i)) {
      const m = NAME.exec(xml.slice(i + 2));
      if (!m) throw new Error(`bad closing tag at ${i}`);
      const close = xml.indexOf(">", i);
      if (xml.slice(i + 2 + m[0].length, close).trim()) throw new Error(`junk in closing tag at ${i}`);
      const open = stack.pop();
      if (!open || open.name !== m[0]) throw new Error(`</${m[0]}> does not close <${open?.name ?? "(nothing)"}>`);
      i = close + 1;
      continue;
    }
    const m = NAME.exec(xml.slice(i + 1));
    if (!m) throw new Error(`bad tag at ${i}: ${xml.slice(i, i + 20)}`);
    if (root && stack.length === 0) throw new Error("more than one root element");
    const el: XmlElement = { name: m[0], attrs: {}, text: "", parent: stack[stack.length - 1] ?? null, children: [] };
    i += 1 + m[0].length;
    for (;;) {
      const ws = /^\s*/.exec(xml.slice(i))![0];
      i += ws.length;
      if (xml.startsWith("/>", i)) {
        i += 2;
        break;
      }
      if (xml[i] === ">") {
        i += 1;
        stack.push(el);
        break;
      }
      if (!ws) throw new Error(`missing space before attribute in <${el.name}>`);
      const a = NAME.exec(xml.slice(i));
      if (!a) throw new Error(`bad attribute in <${el.name}> at ${i}`);
      i += a[0].length;
      if (xml[i] !== "=") throw new Error(`attribute ${a[0]} without value in <${el.name}>`);
      const quote = xml[i + 1];
      if (quote !== '"' && quote !== "'") throw new Error(`unquoted attribute ${a[0]} in <${el.name}>`);
      const end = xml.indexOf(quote, i + 2);
      if (end < 0) throw new Error(`unterminated attribute ${a[0]}`);
      if (a[0] in el.attrs) throw new Error(`duplicate attribute ${a[0]} in <${el.name}>`);
      el.attrs[a[0]] = decode(xml.slice(i + 2, end), `attribute ${a[0]}`);
      i = end + 1;
    }
    el.parent?.children.push(el);
    root ??= el;
    elements.push(el);
  }
  if (stack.length) throw new Error(`unclosed <${stack[stack.length - 1]!.name}>`);
  if (!root) throw new Error("no root element");
  return { root, elements };
}
