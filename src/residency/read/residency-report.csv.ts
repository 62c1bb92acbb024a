import { stringify } from 'csv-stringify/sync';
import { ResidencyReport, ResidencyRow } from './residency-report.types';

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

/** The rows as RFC 4180 CSV (CRLF, quoted when needed), a header line first; evidence = event ids, space-separated. */
export function residencyCsv(report: ResidencyReport): string {
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
  return stringify(report.rows.map(record), { header: true, columns: [...COLUMNS], record_delimiter: 'windows', quoted_match: /[\r\n]/ });
}

/** `residency-<asOf date>.csv`. */
export const residencyCsvFileName = (report: ResidencyReport) => `residency-${report.asOf.slice(0, 10)}.csv`;
