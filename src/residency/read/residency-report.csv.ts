import { Readable } from 'node:stream';
import { ResidencyRow } from './residency-report.types';

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

const cell = (value: string | null): string => {
  if (value === null) return '';
  const text = FORMULA_START.test(value) ? `'${value}` : value;
  return NEEDS_QUOTES.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
};

const CRLF = '\r\n';
const HEADER = COLUMNS.join(',') + CRLF;

/**
 * One CSV record with its CRLF. Written out rather than through csv-stringify (the same bytes, which a
 * test checks against it): its generic per-field work was most of the time of a 100,000-row download.
 */
function record(row: ResidencyRow): string {
  let evidence = '';
  for (const ref of row.evidence) evidence += evidence === '' ? ref.eventId : ` ${ref.eventId}`;
  return (
    `${cell(row.workloadId)},${cell(row.tenant)},${cell(row.dataCategory)},${cell(row.popId)},${cell(row.popCode)},` +
    `${cell(row.countryCode)},${cell(row.role)},${cell(row.placedAt)},${cell(row.policyId)},${cell(row.outcome)},` +
    `${cell(row.reason)},${cell(evidence)}${CRLF}`
  );
}

/** One text chunk per page (a write per record would cost the socket a system call each); the header first, also when there are no rows. */
async function* pageTexts(pages: AsyncIterable<readonly ResidencyRow[]>): AsyncGenerator<string> {
  let text = HEADER;
  for await (const rows of pages) {
    for (const row of rows) text += record(row);
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
export function residencyCsvStream(pages: AsyncIterable<readonly ResidencyRow[]>): Readable {
  return Readable.from(pageTexts(pages), { objectMode: false });
}

/** `residency-<asOf date>.csv`. */
export const residencyCsvFileName = (asOf: string) => `residency-${asOf.slice(0, 10)}.csv`;
