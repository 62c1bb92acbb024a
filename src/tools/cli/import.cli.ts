import 'reflect-metadata';
import { Presets, SingleBar } from 'cli-progress';
import { basename } from 'node:path';
import { MAX_BATCH_RECORDS, RecordResult } from '../../procurement';
import { BatchSender, httpSender, inProcessSender } from './batch-senders.util';
import { ImportArgs, parseImportArgs, USAGE, UsageError } from './import-args.util';
import { readRecordFile } from './record-file.reader';
import { writeRejectReport } from './reject-report.csv';

/**
 * `npm run import -- <file.csv|file.json> [--url U --key K] [--rejects P]` (docs/api.md, "Procurement integration").
 * Exit code 0: nothing rejected; 1: some records rejected (see the reject report); 2: usage or file error.
 */
async function main(argv: readonly string[]): Promise<number> {
  const args = parseImportArgs(argv);
  if (args.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const records = await readRecordFile(args.file);
  const sender = args.url ? httpSender(args.url, args.key as string, process.env.PROCUREMENT_WEBHOOK_SECRET) : await inProcessSender();
  let results: RecordResult[];
  try {
    results = await sendAll(records, sender);
  } finally {
    await sender.close();
  }
  const rejected = results.filter((r) => r.status === 'rejected').length;
  if (rejected > 0) await writeRejectReport(args.rejects, results);
  process.stdout.write(summary(args, results));
  return rejected > 0 ? 1 : 0;
}

async function sendAll(records: Record<string, unknown>[], sender: BatchSender): Promise<RecordResult[]> {
  const bar = new SingleBar({ format: 'importing |{bar}| {value}/{total} records', stream: process.stderr, hideCursor: true }, Presets.shades_classic);
  bar.start(records.length, 0);
  const results: RecordResult[] = [];
  try {
    for (let start = 0; start < records.length; start += MAX_BATCH_RECORDS) {
      const batch = records.slice(start, start + MAX_BATCH_RECORDS);
      results.push(...(await sender.send(batch)).results);
      bar.update(results.length);
    }
  } catch (error) {
    if (!(error instanceof UsageError) || results.length === 0) throw error;
    throw new UsageError(`${error.message} (after ${results.length} of ${records.length} records were sent; sending the file again is safe)`);
  } finally {
    bar.stop();
  }
  return results;
}

function summary(args: ImportArgs, results: readonly RecordResult[]): string {
  const count = (status: RecordResult['status']) => results.filter((r) => r.status === status).length;
  const rows: [string, number][] = [
    ['accepted', count('accepted')],
    ['duplicates', count('duplicate')],
    ['rejected', count('rejected')],
    ['total', results.length],
  ];
  const table = rows.map(([label, n]) => `  ${label.padEnd(10)} ${String(n).padStart(8)}`).join('\n');
  const rejects = count('rejected') > 0 ? `\nRejected records are listed in ${args.rejects}\n` : '';
  return `${basename(args.file)} -> ${args.url ?? 'this process'}\n${table}\n${rejects}`;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`import: ${error instanceof UsageError ? error.message : `failed: ${(error as Error).message}`}\n`);
    if (error instanceof UsageError && error.badArguments) process.stderr.write(`${USAGE}\n`);
    process.exit(2);
  },
);
