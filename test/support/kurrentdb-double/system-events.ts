import { randomUUID } from 'node:crypto';
import { ExpectedVersion, type TransactionLog } from './transaction-log';

/**
 * System events a fresh node writes, so that $all holds more than the client's own events, as on a
 * real server: readers must skip `$`-streams and `$`-types (paths in kurrent-io/KurrentDB@v24.10.14).
 */
export function writeStartupEvents(log: TransactionLog, nodeEndpoint: string): void {
  // EpochManager writes the epoch to $epoch-information; the default $all filter hides it from readers.
  system(log, '$epoch-information', '$epoch-information', { epochNumber: 0, epochPosition: 0, leaderInstanceId: randomUUID(), node: nodeEndpoint });
  // UserManagementService creates the default users: $user-<login> ($UserCreated) and an entry in $users ($User).
  for (const [loginName, fullName, groups] of [
    ['admin', 'KurrentDB Administrator', ['$admins']],
    ['ops', 'KurrentDB Operations', ['$ops']],
  ] as const) {
    system(log, `$user-${loginName}`, '$UserCreated', { loginName, fullName, groups, salt: '', hash: '', disabled: false });
    system(log, '$users', '$User', loginName);
  }
  // The default ACLs of the $settings stream (SystemNames.cs: $settings, $userStreamAcl, $systemStreamAcl).
  system(log, '$settings', '$settings', {
    $userStreamAcl: { $r: '$all', $w: '$all', $d: '$all', $mr: '$all', $mw: '$all' },
    $systemStreamAcl: { $r: '$admins', $w: '$admins', $d: '$admins', $mr: '$admins', $mw: '$admins' },
  });
}

/**
 * MonitoringService with --write-stats-to-db: the stats stream's metadata ($maxAge of 10 days) once,
 * then a $statsCollected event each period (src/EventStore.Core/Services/Monitoring/MonitoringService.cs).
 * Returns the function that stops it.
 */
export function writeStatsPeriodically(log: TransactionLog, nodeEndpoint: string, periodMs: number): () => void {
  const stream = `$stats-${nodeEndpoint}`;
  system(log, `$$${stream}`, '$metadata', { $maxAge: 10 * 24 * 3600 });
  const timer = setInterval(() => {
    const memory = process.memoryUsage();
    system(log, stream, '$statsCollected', {
      'proc-startTime': new Date(Date.now() - process.uptime() * 1000).toISOString(),
      'proc-mem': memory.rss,
      'proc-cpu': process.cpuUsage().user,
      'es-queue-MainQueue-length': 0,
    });
  }, periodMs);
  timer.unref();
  return () => clearInterval(timer);
}

function system(log: TransactionLog, streamId: string, type: string, data: unknown): void {
  const event = { eventId: randomUUID(), type, isJson: true, data: Buffer.from(JSON.stringify(data)), metadata: new Uint8Array() };
  log.write(streamId, ExpectedVersion.Any, [event]);
}
