import { Readable } from 'node:stream';
import type { ResidencyRowSink } from '../domain/evaluate-residency.rules';
import type { PlacementView, PolicyView, PopView } from '../domain/residency.types';

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
const NEEDS_CARE = /^[=+\-@\t\r]|[",\r\n]/;

const cell = (value: string | null): string => {
  if (value === null || !NEEDS_CARE.test(value)) return value ?? '';
  const text = FORMULA_START.test(value) ? `'${value}` : value;
  return NEEDS_QUOTES.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
};

const CRLF = '\r\n';
const HEADER = COLUMNS.join(',') + CRLF;

/** One page's rows, handed to the sink one by one (the CSV's query: forEachResidencyRow over the page's input). */
export type ResidencyCsvPage = (sink: ResidencyRowSink<string>) => void;

/**
 * Writes records from the evaluation's parts, each with its CRLF. Written out rather than through
 * csv-stringify (the same bytes, which a test checks against it): its generic per-field work was most of
 * the time of a 100,000-row download. The cells of a placement (its workload's too) are escaped once for
 * its rows, a PoP's and a policy's once per download: per row, only the category, reason and evidence.
 */
function recordWriter(): { sink: ResidencyRowSink<string>; take: () => string } {
  let text = '';
  let placement: PlacementView<string> | null = null;
  let workloadCells = '';
  let placementCells = '';
  const popCells = new Map<PopView<string>, string>();
  const policyCells = new Map<PolicyView, string>();
  const sink: ResidencyRowSink<string> = (workload, placed, pop, dataCategory, policy, outcome, reason) => {
    if (placed !== placement) {
      placement = placed;
      workloadCells = `${cell(workload.workloadId)},${cell(workload.tenant)},`;
      let cells = popCells.get(pop);
      if (cells === undefined) popCells.set(pop, (cells = `${cell(pop.popId)},${cell(pop.code)},${cell(pop.countryCode)}`));
      placementCells = `,${cells},${cell(placed.role)},${cell(placed.placedAt)},`;
    }
    let evidence = `${workload.evidence} ${placed.evidence} ${pop.evidence}`;
    let policyCell = '';
    if (policy !== null) {
      evidence += ` ${policy.evidence.eventId}`;
      let cells = policyCells.get(policy);
      if (cells === undefined) policyCells.set(policy, (cells = cell(policy.policyId)));
      policyCell = cells;
    }
    // The outcome is one of three names: nothing to escape.
    text += `${workloadCells}${cell(dataCategory)}${placementCells}${policyCell},${outcome},${cell(reason)},${cell(evidence)}${CRLF}`;
  };
  const take = () => {
    const taken = text;
    text = '';
    return taken;
  };
  return { sink, take };
}

/** One text chunk per page (a write per record would cost the socket a system call each); the header first, also when there are no rows. */
async function* pageTexts(pages: AsyncIterable<ResidencyCsvPage>): AsyncGenerator<string> {
  const { sink, take } = recordWriter();
  let text = HEADER;
  for await (const page of pages) {
    page(sink);
    text += take();
    if (text !== '') yield text;
    text = '';
  }
  if (text !== '') yield text;
}

/**
 * The rows as RFC 4180 CSV (CRLF, quoted when needed), a header line first; evidence = event ids,
 * space-separated. Streamed: the next page is asked for only when the reader has taken the text of
 * the one before (backpressure), so memory holds about one page whatever the report's size. A failure
 * while reading destroys the stream (the client sees a cut response, never a complete-looking file).
 */
export function residencyCsvStream(pages: AsyncIterable<ResidencyCsvPage>): Readable {
  return Readable.from(pageTexts(pages), { objectMode: false });
}

/** `residency-<asOf date>.csv`. */
export const residencyCsvFileName = (asOf: string) => `residency-${asOf.slice(0, 10)}.csv`;
