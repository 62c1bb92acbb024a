import { Readable } from 'node:stream';
import { stringify } from 'csv-stringify/sync';
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
const cell = (value: string | null): string | null => (value !== null && FORMULA_START.test(value) ? `'${value}` : value);

const record = (row: ResidencyRow) =>
  [
    row.workloadId,
    row.tenant,
    row.dataCategory,
    row.popId,
    row.popCode,
    row.countryCode,
    row.role,
    row.placedAt,
    row.policyId,
    row.outcome,
    row.reason,
    row.evidence.map((evidence) => evidence.eventId).join(' '),
  ].map(cell);

// A lone CR or LF inside a field also needs quotes, not only the CRLF record delimiter.
const OPTIONS = { columns: [...COLUMNS], record_delimiter: 'windows', quoted_match: /[\r\n]/ } as const;

/** One text chunk per page (a write per record would cost the socket a system call each); the header first, also when there are no rows. */
async function* pageTexts(pages: AsyncIterable<readonly ResidencyRow[]>): AsyncGenerator<string> {
  let header = true;
  for await (const rows of pages) {
    if (rows.length === 0 && !header) continue;
    yield stringify(rows.map(record), { ...OPTIONS, header });
    header = false;
  }
  if (header) yield stringify([], { ...OPTIONS, header });
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
