/**
 * Just enough XML parsing to read back the files the exports write (REFI-QDA, OOXML): elements,
 * attributes, text and character references. Not a validating parser: validity is xmllint's job.
 */
export interface XmlNode {
  name: string;
  attributes: Record<string, string>;
  children: XmlNode[];
  /** The element's own text, its children's left out. */
  text: string;
}

const ENTITIES: Record<string, string> = { lt: "<", gt: ">", amp: "&", quot: '"', apos: "'" };

export const decodeXml = (value: string): string =>
  value.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, ref: string) => {
    if (ref.startsWith("#x") || ref.startsWith("#X")) return String.fromCodePoint(parseInt(ref.slice(2), 16));
    if (ref.startsWith("#")) return String.fromCodePoint(parseInt(ref.slice(1), 10));
    return ENTITIES[ref] ?? whole;
  });

const TOKEN = /<\?[\s\S]*?\?>|<!--[\s\S]*?-->|<!\[CDATA\[([\s\S]*?)\]\]>|<\/([^\s>]+)\s*>|<([^\s/>]+)((?:\s+[^\s=/>]+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*(\/?)>|([^<]+)/g;
const ATTRIBUTE = /([^\s=]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g;

/** The document's root element. Throws on mismatched tags. */
export function parseXml(xml: string): XmlNode {
  const root: XmlNode = { name: "#document", attributes: {}, children: [], text: "" };
  const stack = [root];
  for (const match of xml.matchAll(TOKEN)) {
    const [, cdata, closing, opening, attributes, selfClosing, text] = match;
    const current = stack.at(-1)!;
    if (cdata !== undefined) current.text += cdata;
    else if (text !== undefined) current.text += decodeXml(text);
    else if (closing !== undefined) {
      if (current.name !== closing) throw new Error(`</${closing}> ferme <${current.name}>`);
      stack.pop();
    } else if (opening !== undefined) {
      const node: XmlNode = { name: opening, attributes: {}, children: [], text: "" };
      for (const [, name, double, single] of (attributes ?? "").matchAll(ATTRIBUTE)) node.attributes[name!] = decodeXml(double ?? single ?? "");
      current.children.push(node);
      if (!selfClosing) stack.push(node);
    }
  }
  if (stack.length !== 1) throw new Error(`<${stack.at(-1)!.name}> non fermé`);
  const [element] = root.children;
  if (!element || root.children.length !== 1) throw new Error("Un seul élément racine attendu");
  return element;
}

/** Child elements of the given name. */
export const childrenNamed = (node: XmlNode, name: string): XmlNode[] => node.children.filter((c) => c.name === name);

/** Every descendant element of the given name, in document order. */
export function descendantsNamed(node: XmlNode, name: string): XmlNode[] {
  const found: XmlNode[] = [];
  const walk = (n: XmlNode) => {
    for (const child of n.children) {
      if (child.name === name) found.push(child);
      walk(child);
    }
  };
  walk(node);
  return found;
}
