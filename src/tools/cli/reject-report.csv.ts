import { stringify } from 'csv-stringify/sync';
import { writeFile } from 'node:fs/promises';
import { RecordResult } from '../../procurement';

export const REJECT_REPORT_COLUMNS = ['record', 'externalId', 'code', 'rule', 'reason'] as const;

/** One CSV row per rejected record; `record` is its 1-based position in the input file. */
export function rejectReport(results: readonly RecordResult[]): string {
  const rows = results.flatMap((r, i) =>
    r.status === 'rejected' ? [{ record: i + 1, externalId: r.externalId ?? '', code: r.code ?? '', rule: r.rule ?? '', reason: r.reason ?? '' }] : [],
  );
  return stringify(rows, { header: true, columns: [...REJECT_REPORT_COLUMNS] });
}

export async function writeRejectReport(path: string, results: readonly RecordResult[]): Promise<void> {
  await writeFile(path, rejectReport(results), 'utf8');
}
