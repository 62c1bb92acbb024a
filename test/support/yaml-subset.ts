/**
 * The block YAML a Compose file of this repository is written in, read into JSON values, so that the
 * file can be checked against the Compose Specification's JSON schema without a YAML library among the
 * dependencies: block mappings and sequences (two-space indents), comments, plain, single- and
 * double-quoted scalars (YAML 1.2 core schema: null, booleans, numbers, strings) and flow sequences
 * written as JSON. Anything else (anchors, aliases, tags, block scalars, several documents, tabs) is
 * refused loudly rather than read wrongly.
 */
export class YamlSubsetError extends Error {
  constructor(line: number, message: string) {
    super(`line ${line}: ${message}`);
    this.name = 'YamlSubsetError';
  }
}

interface Line {
  number: number;
  indent: number;
  text: string;
}

export function parseYamlSubset(source: string): unknown {
  const lines: Line[] = [];
  for (const [i, raw] of source.split(/\r?\n/).entries()) {
    if (/^\t| \t/.test(raw.match(/^\s*/)?.[0] ?? '')) throw new YamlSubsetError(i + 1, 'tabs in indentation');
    const text = stripComment(raw, i + 1).trimEnd();
    if (text.trim() === '') continue;
    if (/^(---|\.\.\.)(\s|$)/.test(text)) throw new YamlSubsetError(i + 1, 'document markers are not supported');
    lines.push({ number: i + 1, indent: text.length - text.trimStart().length, text: text.trimStart() });
  }
  if (lines.length === 0) return null;
  const [value, next] = parseBlock(lines, 0, lines[0].indent);
  if (next < lines.length) throw new YamlSubsetError(lines[next].number, 'unexpected indentation');
  return value;
}

/** The block starting at `lines[start]` with indentation `indent`; answers its value and the index after it. */
function parseBlock(lines: Line[], start: number, indent: number): [unknown, number] {
  return lines[start].text.startsWith('- ') || lines[start].text === '-' ? parseSequence(lines, start, indent) : parseMapping(lines, start, indent);
}

function parseSequence(lines: Line[], start: number, indent: number): [unknown[], number] {
  const items: unknown[] = [];
  let i = start;
  while (i < lines.length && lines[i].indent === indent && (lines[i].text.startsWith('- ') || lines[i].text === '-')) {
    const line = lines[i];
    const rest = line.text.slice(1).trimStart();
    if (rest === '') {
      const nested = lines[i + 1];
      if (!nested || nested.indent <= indent) throw new YamlSubsetError(line.number, 'empty sequence item');
      const [value, next] = parseBlock(lines, i + 1, nested.indent);
      items.push(value);
      i = next;
    } else if (splitKey(rest, line.number)) {
      // "- key: value" starts a mapping whose keys sit where "key" does.
      const itemIndent = indent + (line.text.length - rest.length);
      const [value, next] = parseMapping([...lines.slice(0, i), { ...line, indent: itemIndent, text: rest }, ...lines.slice(i + 1)], i, itemIndent);
      items.push(value);
      i = next;
    } else {
      items.push(parseScalar(rest, line.number));
      i += 1;
    }
  }
  if (i < lines.length && lines[i].indent > indent) throw new YamlSubsetError(lines[i].number, 'unexpected indentation');
  return [items, i];
}

function parseMapping(lines: Line[], start: number, indent: number): [Record<string, unknown>, number] {
  const mapping: Record<string, unknown> = {};
  let i = start;
  while (i < lines.length && lines[i].indent === indent) {
    const line = lines[i];
    const entry = splitKey(line.text, line.number);
    if (!entry) throw new YamlSubsetError(line.number, `expected "key: value", got ${JSON.stringify(line.text)}`);
    const [key, rest] = entry;
    if (Object.hasOwn(mapping, key)) throw new YamlSubsetError(line.number, `duplicate key ${JSON.stringify(key)}`);
    if (rest !== '') {
      mapping[key] = parseScalar(rest, line.number);
      i += 1;
      continue;
    }
    const nested = lines[i + 1];
    // A nested block is indented more; a sequence may also sit at the key's own indentation.
    if (nested && (nested.indent > indent || (nested.indent === indent && (nested.text.startsWith('- ') || nested.text === '-')))) {
      const [value, next] = parseBlock(lines, i + 1, nested.indent);
      mapping[key] = value;
      i = next;
    } else {
      mapping[key] = null;
      i += 1;
    }
  }
  if (i < lines.length && lines[i].indent > indent) throw new YamlSubsetError(lines[i].number, 'unexpected indentation');
  return [mapping, i];
}

/** `key: rest` or `key:` (rest ''), with a plain or quoted key; null when the text is no mapping entry. */
function splitKey(text: string, line: number): [string, string] | null {
  if (text.startsWith('"') || text.startsWith("'")) {
    const end = closingQuote(text, line);
    const after = text.slice(end + 1);
    if (!/^:(\s|$)/.test(after)) return null;
    return [String(parseScalar(text.slice(0, end + 1), line)), after.slice(1).trim()];
  }
  const match = /^([^\s#'"[\]{},&*!|>%@`][^:#]*?|[^\s#'"[\]{},&*!|>%@`]):(\s+(.*))?$/.exec(text);
  return match ? [match[1].trim(), (match[3] ?? '').trim()] : null;
}

function parseScalar(text: string, line: number): unknown {
  if (text.startsWith('"')) {
    if (closingQuote(text, line) !== text.length - 1) throw new YamlSubsetError(line, `text after a quoted scalar: ${text}`);
    return JSON.parse(text);
  }
  if (text.startsWith("'")) {
    if (closingQuote(text, line) !== text.length - 1) throw new YamlSubsetError(line, `text after a quoted scalar: ${text}`);
    return text.slice(1, -1).replace(/''/g, "'");
  }
  if (text.startsWith('[') || text.startsWith('{')) {
    try {
      return JSON.parse(text);
    } catch {
      throw new YamlSubsetError(line, `flow collections must be written as JSON here: ${text}`);
    }
  }
  if (/^[&*!|>%@`]/.test(text)) throw new YamlSubsetError(line, `anchors, aliases, tags and block scalars are not supported: ${text}`);
  if (/^(null|Null|NULL|~)$/.test(text)) return null;
  if (/^(true|True|TRUE)$/.test(text)) return true;
  if (/^(false|False|FALSE)$/.test(text)) return false;
  if (/^[-+]?\d+$/.test(text)) return Number(text);
  if (/^[-+]?(\.\d+|\d+(\.\d*)?)([eE][-+]?\d+)?$/.test(text)) return Number(text);
  if (/^0x[0-9a-fA-F]+$|^0o[0-7]+$|^[-+]?\.(inf|Inf|INF)$|^\.(nan|NaN|NAN)$/.test(text)) throw new YamlSubsetError(line, `special numbers are not supported: ${text}`);
  return text;
}

/** Index of the quote closing the one at text[0]. */
function closingQuote(text: string, line: number): number {
  const quote = text[0];
  for (let i = 1; i < text.length; i++) {
    if (quote === '"' && text[i] === '\\') i += 1;
    else if (text[i] === quote) {
      if (quote === "'" && text[i + 1] === "'") i += 1;
      else return i;
    }
  }
  throw new YamlSubsetError(line, `unterminated quoted scalar: ${text}`);
}

/** The line without its comment: `#` at its start or after a blank, outside quotes. */
function stripComment(raw: string, line: number): string {
  let quote: string | null = null;
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i];
    if (quote) {
      if (quote === '"' && c === '\\') i += 1;
      else if (c === quote) quote = null;
    } else if (c === '"' || c === "'") {
      // A quote opens a quoted scalar only where one may start (after ": ", "- ", "[" or ", "), not inside a plain scalar.
      if (i === 0 || /[\s[,]/.test(raw[i - 1])) quote = c;
    } else if (c === '#' && (i === 0 || /\s/.test(raw[i - 1]))) {
      return raw.slice(0, i);
    }
  }
  if (quote) throw new YamlSubsetError(line, 'unterminated quoted scalar');
  return raw;
}
