import { Readable } from 'node:stream';
import type { ResidencyRowSink } from '../domain/evaluate-residency.rules';
import type { DataCategory, PlacementView, PolicyView, PopView, ResidencyOutcome } from '../domain/residency.types';

const COLUMNS = [
  'workloadId',
  'tenant',
  'dataCategory',
  'popId',
  'popCode',
  'countryCode',
  'role',
  'placedAt',
  'policyId',
  'outcome',
  'reason',
  'evidence',
] as const;

/**
 * A spreadsheet opens a cell that starts with one of these as a formula (CSV injection): such a cell
 * gets a leading apostrophe, which spreadsheets show as "text follows" (OWASP's advice).
 */
const FORMULA_START = /^[=+\-@\t\r]/;
/** RFC 4180: a field holding the delimiter, a quote or a line break (a lone CR or LF too) goes in quotes, its quotes doubled. */
const NEEDS_QUOTES = /[",\r\n]/;
/** Either of the two: one test for the common cell, which needs neither. */
const NEEDS_CARE = new RegExp(`${FORMULA_START.source}|${NEEDS_QUOTES.source}`);

const cell = (value: string | null): string => {
  if (value === null || !NEEDS_CARE.test(value)) return value ?? '';
  const text = FORMULA_START.test(value) ? `'${value}` : value;
  return NEEDS_QUOTES.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
};

const CRLF = '\r\n';
const HEADER = COLUMNS.join(',') + CRLF;

/**
 * The records' text is turned into bytes whenever it reaches this many UTF-16 code units, not once per page:
 * encoding a page's text (about 1 MB) had V8 flatten it into a string of the large-object space (over 128 KB),
 * the download's largest single cost; pieces this size are flattened in the young generation.
 */
const CHUNK_CHARS = 32 * 1024;

/** One page's rows, handed to the sink one by one (the CSV's query: forEachResidencyRow over the page's input). */
export type ResidencyCsvPage = (sink: ResidencyRowSink<string>) => void;

/** What a policy's records share: its cell, its event id as the evidence's last part, and the cells after the PoP's. */
interface PolicyParts {
  cell: string;
  /** ` <event id>`, which ends the evidence of its records. */
  evidence: string;
  /** Whether the event id holds a character that quotes the evidence cell. */
  evidenceNeedsQuotes: boolean;
  /** `<policy>,<outcome>,<reason>,` by outcome and reason: a policy gives a few verdicts to many placements. */
  tails: Record<ResidencyOutcome, Map<string, string>>;
}

function policyParts(policy: PolicyView): PolicyParts {
  return {
    cell: cell(policy.policyId),
    evidence: ` ${policy.evidence.eventId}`,
    evidenceNeedsQuotes: NEEDS_QUOTES.test(policy.evidence.eventId),
    tails: { COMPLIANT: new Map(), VIOLATION: new Map(), UNASSESSED: new Map() },
  };
}

/**
 * Writes records from the evaluation's parts, each with its CRLF. Written out rather than through
 * csv-stringify (the same bytes, which a test checks against it): its generic per-field work was most of
 * the time of a 100,000-row download. Each cell is escaped once for all the records that share it: a
 * placement's (its workload's and PoP's too) and its evidence's first three ids once per placement, a
 * category's once per placement, a policy's and its verdicts' once per download; the outcome never (one of
 * three names). A record is then about five pieces of text, which the page's bytes are made from.
 */
function recordWriter(): { sink: ResidencyRowSink<string>; take: () => Buffer } {
  /** The text not yet turned into bytes: the header first. */
  let text = HEADER;
  const chunks: Buffer[] = [];
  const write = (record: string) => {
    text += record;
    if (text.length < CHUNK_CHARS) return;
    chunks.push(Buffer.from(text));
    text = '';
  };
  let placement: PlacementView<string> | null = null;
  let category: DataCategory | null = null;
  let workloadCells = '';
  let placementCells = '';
  /** The cells before the policy's: workload, category, PoP and placement, ending with a comma. */
  let head = '';
  /** The workload's, placement's and PoP's event ids, and whether they need escaping as a cell. */
  let evidence = '';
  let evidenceNeedsCare = false;
  const popCells = new Map<PopView<string>, string>();
  const policies = new Map<PolicyView, PolicyParts>();
  const sink: ResidencyRowSink<string> = (workload, placed, pop, dataCategory, policy, outcome, reason) => {
    if (placed !== placement) {
      placement = placed;
      category = null;
      workloadCells = `${cell(workload.workloadId)},${cell(workload.tenant)},`;
      let cells = popCells.get(pop);
      if (cells === undefined) popCells.set(pop, (cells = `${cell(pop.popId)},${cell(pop.code)},${cell(pop.countryCode)}`));
      placementCells = `,${cells},${cell(placed.role)},${cell(placed.placedAt)},`;
      evidence = `${workload.evidence} ${placed.evidence} ${pop.evidence}`;
      evidenceNeedsCare = NEEDS_CARE.test(evidence);
    }
    if (dataCategory !== category) {
      category = dataCategory;
      head = `${workloadCells}${cell(dataCategory)}${placementCells}`;
    }
    if (policy === null) {
      write(`${head},${outcome},${cell(reason)},${evidenceNeedsCare ? cell(evidence) : evidence}${CRLF}`);
      return;
    }
    let parts = policies.get(policy);
    if (parts === undefined) policies.set(policy, (parts = policyParts(policy)));
    let tail = parts.tails[outcome].get(reason);
    if (tail === undefined) parts.tails[outcome].set(reason, (tail = `${parts.cell},${outcome},${cell(reason)},`));
    // The policy's id starts no cell and cannot make it a formula: only its quotes or line breaks matter.
    const all = `${evidence}${parts.evidence}`;
    write(`${head}${tail}${evidenceNeedsCare || parts.evidenceNeedsQuotes ? cell(all) : all}${CRLF}`);
  };
  /** The bytes written since the last take, in one Buffer (one write to the socket per page). */
  const take = () => {
    if (text !== '') chunks.push(Buffer.from(text));
    text = '';
    const bytes = chunks.length === 1 ? chunks[0] : Buffer.concat(chunks);
    chunks.length = 0;
    return bytes;
  };
  return { sink, take };
}

/** One chunk of bytes per page (a write per record would cost the socket a system call each); the header first, also when there are no rows. */
async function* pageBytes(pages: AsyncIterable<ResidencyCsvPage>): AsyncGenerator<Buffer> {
  const { sink, take } = recordWriter();
  for await (const page of pages) {
    page(sink);
    const bytes = take();
    if (bytes.length > 0) yield bytes;
  }
  // The header alone when there were no pages.
  const bytes = take();
  if (bytes.length > 0) yield bytes;
}

/**
 * The rows as RFC 4180 CSV (CRLF, quoted when needed), a header line first; evidence = event ids,
 * space-separated. Streamed: the next page is asked for only when the reader has taken the bytes of
 * the one before (backpressure), so memory holds about one page whatever the report's size. A failure
 * while reading destroys the stream (the client sees a cut response, never a complete-looking file).
 */
export function residencyCsvStream(pages: AsyncIterable<ResidencyCsvPage>): Readable {
  return Readable.from(pageBytes(pages), { objectMode: false });
}

/** `residency-<asOf date>.csv`. */
export const residencyCsvFileName = (asOf: string) => `residency-${asOf.slice(0, 10)}.csv`;
