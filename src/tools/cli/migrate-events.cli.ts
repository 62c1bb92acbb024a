import { Presets, SingleBar } from 'cli-progress';
import { CopyFailedError, copyEventLog, TargetNotAPrefixError, TargetNotEmptyError, type CopyProgress, type CopyReport } from '../migrate/event-log-copy.util';
import { HeldBackError } from '../migrate/log-cursor.util';
import { openStoreAt, StoreLocationError, type OpenedStore } from '../migrate/store-location.factory';
import { MIGRATE_USAGE, MigrateUsageError, parseMigrateArgs, type MigrateArgs } from './migrate-args.util';

/**
 * `npm run migrate-events -- --from <store> --to <store> [--resume]` (docs/operations.md, "Moving
 * between event stores"): copies the whole event log between the embedded store, a PostgreSQL server
 * and EventStoreDB/KurrentDB in any direction, then compares counts and checksums of both logs.
 * Exit code 0: copied and identical; 1: the copy failed or the logs differ; 2: a wrong command line,
 * or a target refused before anything was written.
 */
async function main(argv: readonly string[]): Promise<number> {
  const args = parseMigrateArgs(argv);
  if (args.help) {
    process.stdout.write(`${MIGRATE_USAGE}\n`);
    return 0;
  }
  const source = await openStoreAt(args.from, 'source');
  let target: OpenedStore | undefined;
  const bar = new ProgressBar();
  try {
    target = await openStoreAt(args.to, 'target', { maxAppendBytes: args.maxAppendBytes });
    const report = await copyEventLog(source.store, target.store, { resume: args.resume, onProgress: (progress) => bar.update(progress) });
    bar.stop();
    process.stdout.write(summary(args, report));
    return report.matches ? 0 : 1;
  } finally {
    bar.stop();
    await target?.close();
    await source.close();
  }
}

/** cli-progress on stderr: a percentage when the source counts its events exactly (PostgreSQL), a count otherwise. */
class ProgressBar {
  private bar?: SingleBar;
  private phase?: CopyProgress['phase'];

  update({ done, total, phase }: CopyProgress): void {
    if (phase !== this.phase) {
      this.bar?.stop();
      this.phase = phase;
      const label = { checking: 'checking the target', copying: 'copying', verifying: 'verifying' }[phase];
      const format =
        total === undefined
          ? `${label} {value} events | {duration_formatted}`
          : `${label} [{bar}] {percentage}% | {value}/{total} events | {eta_formatted} left`;
      this.bar = new SingleBar({ format, stream: process.stderr, hideCursor: true, etaBuffer: 50 }, Presets.shades_classic);
      this.bar.start(Math.max(total ?? 0, done, 1), done);
    }
    this.bar?.setTotal(Math.max(total ?? 0, done, 1));
    this.bar?.update(done);
  }

  stop(): void {
    this.bar?.stop();
    this.bar = undefined;
    this.phase = undefined;
  }
}

function summary(args: MigrateArgs, report: CopyReport): string {
  const seconds = report.copyMs / 1000;
  const rate = seconds > 0 ? Math.round(report.copied / seconds) : report.copied;
  const resumed = report.alreadyThere > 0 ? `; ${report.alreadyThere} events were already there (resumed)` : '';
  const lines = [
    `Copied ${report.copied} events (${report.appends} appends in ${report.writes} writes) from ${args.from.label} to ${args.to.label} in ${seconds.toFixed(1)} s (${rate} events/s)${resumed}`,
    `source: ${report.source.events} events, sha256 ${report.source.sha256}`,
    `target: ${report.target.events} events, sha256 ${report.target.sha256} (read back in ${(report.verifyMs / 1000).toFixed(1)} s)`,
    report.matches
      ? 'The logs are identical. Next: `npm run rebuild` with the new store configured (EVENT_STORE, EVENTSTORE_CONNECTION_STRING, DATABASE_URL or DATA_DIR) builds its read models.'
      : 'The logs DIFFER: the target is not a faithful copy (was either store written to during the copy?).',
  ];
  return `${lines.join('\n')}\n`;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof MigrateUsageError) {
      console.error(error.showUsage ? `${error.message}\n${MIGRATE_USAGE}` : error.message);
      process.exit(2);
    }
    const refused = error instanceof TargetNotEmptyError || error instanceof TargetNotAPrefixError || error instanceof StoreLocationError;
    const known = refused || error instanceof CopyFailedError || error instanceof HeldBackError;
    console.error(known ? (error as Error).message : `migrate-events failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    process.exit(refused ? 2 : 1);
  },
);
