import { Client } from 'pg';

/**
 * What the PostgreSQL server did during a stretch of load, from one lean connection of its own: WAL
 * written, and what its checkpointer was doing, sampled once a second (the soak prints it per window).
 * A timed checkpoint spreads its writes over most of `checkpoint_timeout` and then flushes the files it
 * wrote; while it runs, the first change of each page after it started also writes the whole page into
 * the WAL, so commits, which wait for the WAL to reach the disk, can slow down for reasons that have
 * nothing to do with the service.
 */
export interface PostgresActivity {
  walMb: number;
  /** Seconds the checkpointer was seen writing (spread writes, `CheckpointWriteDelay` or a data-file write). */
  checkpointWritingS: number;
  /** Seconds it was seen flushing files to disk (`DataFileSync`, `DataFileFlush`, `RegisterSyncRequest`). */
  checkpointSyncingS: number;
  /** Checkpoints that ended in the stretch, with the time they spent writing and syncing (ms). */
  checkpointsEnded: number;
  checkpointWriteMs: number;
  checkpointSyncMs: number;
}

interface Totals {
  lsn: string;
  checkpoints: number;
  writeMs: number;
  syncMs: number;
}

const SYNC_WAITS = new Set(['DataFileSync', 'DataFileFlush', 'RegisterSyncRequest', 'DataFileImmediateSync']);
const SAMPLE_MS = 1_000;

export class PostgresActivitySampler {
  private constructor(private readonly client: Client) {}

  static async connect(databaseUrl: string): Promise<PostgresActivitySampler> {
    const client = new Client({ connectionString: databaseUrl });
    await client.connect();
    return new PostgresActivitySampler(client);
  }

  /** Samples while `during` runs; the load's own outcome is what the caller gets back, with the activity beside it. */
  async around<T>(during: Promise<T>): Promise<{ value: T; activity: PostgresActivity }> {
    const start = await this.totals();
    let writing = 0;
    let syncing = 0;
    let sampling = Promise.resolve();
    const timer = setInterval(() => {
      sampling = sampling.then(async () => {
        const wait = await this.checkpointerWait();
        if (wait === 'CheckpointWriteDelay' || wait === 'DataFileWrite') writing += 1;
        else if (wait !== null && SYNC_WAITS.has(wait)) syncing += 1;
      });
    }, SAMPLE_MS);
    const value = await during.finally(() => clearInterval(timer));
    await sampling;
    const end = await this.totals();
    const walBytes = await this.client.query<{ bytes: string }>('SELECT pg_wal_lsn_diff($1, $2)::text AS bytes', [end.lsn, start.lsn]);
    return {
      value,
      activity: {
        walMb: Number(walBytes.rows[0].bytes) / 1_048_576,
        checkpointWritingS: writing * (SAMPLE_MS / 1_000),
        checkpointSyncingS: syncing * (SAMPLE_MS / 1_000),
        checkpointsEnded: end.checkpoints - start.checkpoints,
        checkpointWriteMs: end.writeMs - start.writeMs,
        checkpointSyncMs: end.syncMs - start.syncMs,
      },
    };
  }

  close(): Promise<void> {
    return this.client.end();
  }

  private async totals(): Promise<Totals> {
    const { rows } = await this.client.query<{ lsn: string; checkpoints: string; write_ms: number; sync_ms: number }>(
      `SELECT pg_current_wal_lsn()::text AS lsn, checkpoints_timed + checkpoints_req AS checkpoints,
              checkpoint_write_time AS write_ms, checkpoint_sync_time AS sync_ms FROM pg_stat_bgwriter`,
    );
    const [row] = rows;
    return { lsn: row.lsn, checkpoints: Number(row.checkpoints), writeMs: row.write_ms, syncMs: row.sync_ms };
  }

  /** The checkpointer's wait event right now: what it is doing (`CheckpointerMain` when idle). */
  private async checkpointerWait(): Promise<string | null> {
    const { rows } = await this.client.query<{ wait_event: string | null }>("SELECT wait_event FROM pg_stat_activity WHERE backend_type = 'checkpointer'");
    return rows[0]?.wait_event ?? null;
  }
}
