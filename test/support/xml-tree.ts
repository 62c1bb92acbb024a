import { SaxesParser } from 'saxes';

/** An XML element as a test reads it: its attributes, child elements and own text. */
export interface XmlElement {
  name: string;
  attributes: Record<string, string>;
  children: XmlElement[];
  /** The text directly inside it (not its children's). */
  text: string;
}

/**
 * Parses a whole document with saxes, a parser that enforces XML 1.0 well-formedness (undeclared
 * entities, bare `&` or `<`, characters XML disallows, duplicate attributes, a second root): any of
 * those throws.
 */
export function parseXml(document: string): XmlElement {
  const parser = new SaxesParser();
  const root: XmlElement = { name: '#document', attributes: {}, children: [], text: '' };
  const open: XmlElement[] = [root];
  parser.on('opentag', (tag) => {
    const element: XmlElement = { name: tag.name, attributes: { ...(tag.attributes as Record<string, string>) }, children: [], text: '' };
    open[open.length - 1].children.push(element);
    open.push(element);
  });
  parser.on('closetag', () => void open.pop());
  parser.on('text', (text) => {
    open[open.length - 1].text += text;
  });
  parser.on('error', (error) => {
    throw error;
  });
  parser.write(document).close();
  const [element] = root.children;
  return element;
}

/** Every element under `element` (itself included), depth first, that `match` accepts. */
export function findAll(element: XmlElement, match: (candidate: XmlElement) => boolean): XmlElement[] {
  return [...(match(element) ? [element] : []), ...element.children.flatMap((child) => findAll(child, match))];
}
