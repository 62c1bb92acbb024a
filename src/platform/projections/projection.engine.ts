import { runMigrations } from '../database/migrations.runner';
import { SqlClient } from '../database/sql-client.port';
import { EventStore } from '../event-store/event-store.port';
import { CheckpointWatch } from './checkpoint-watch.service';
import { LeaderElection, PROJECTION_LOCKS } from './leader-election.service';
import { liveTables, Projection } from './projection.port';
import { FailedEvent, ProjectionCheckpoints, projectionMigrations, ProjectionState } from './projection-checkpoints.sql';
import { RebuildProgress, RebuildResult, rebuildProjections } from './projection.rebuild';
import { BatchInfo, ProjectionLogger, ProjectionRunner } from './projection.runner';
import { hasAllTables, recreateTables } from './projection-tables.sql';

export interface ProjectionEngineOptions {
  /** Events per transaction for live runners catching up (live batches are as large as what arrived). */
  batchSize?: number;
  /** Events per transaction during a rebuild. */
  rebuildBatchSize?: number;
  /** How often a follower instance tries to become the leader. */
  leaderRetryMs?: number;
  /** How often the leader checks its lock connection. */
  heartbeatMs?: number;
  /** Pause before resubscribing after a transient error. */
  retryDelayMs?: number;
  /** Safety re-read of checkpoints while read-your-writes waits are pending. */
  recheckMs?: number;
  logger?: ProjectionLogger;
  /** Called after each committed live batch. */
  onBatch?: (batch: BatchInfo) => void;
}

export interface ProjectionStatus {
  name: string;
  status: ProjectionState;
  position: string | null;
  /**
   * Events of the log after `position` (EventStore.countAfter): exact on PostgreSQL; on EventStoreDB
   * the user events among the next 1,000 events of $all, so a larger lag reads as at most 1,000.
   */
  lagEvents: number;
  lastError: string | null;
  failedEvent: FailedEvent | null;
  updatedAt: string | null;
}

export class RebuildInProgressError extends Error {
  constructor() {
    super('A projection rebuild is already running');
    this.name = 'RebuildInProgressError';
  }
}

/**
 * Work that runs only in the instance that leads the projections (e.g. outbound delivery workers):
 * started after the live runner when this instance is elected, stopped before it when deposed or stopping.
 */
export interface LeaderTask {
  start(): Promise<void> | void;
  stop(): Promise<void>;
}

interface Prepared {
  checkpoints: ProjectionCheckpoints;
  watch: CheckpointWatch;
}

const silent: ProjectionLogger = { info() {}, warn() {}, error() {} };

/**
 * Runs the projections: in exactly one instance (the leader), each consumes the global log from its
 * own checkpoint and commits its read-model writes together with the checkpoint. Every instance can
 * report status, wait for read-your-writes, and run a rebuild.
 */
export class ProjectionEngine {
  private readonly options: Required<Omit<ProjectionEngineOptions, 'onBatch'>> & Pick<ProjectionEngineOptions, 'onBatch'>;
  private started?: Promise<void>;
  private prepared?: Promise<Prepared>;
  private runner?: ProjectionRunner;
  private election?: LeaderElection;
  private rebuilding = false;
  private stopped = false;
  private readonly leaderTasks: LeaderTask[] = [];
  private readonly batchListeners = new Set<(batch: BatchInfo) => void>();

  constructor(
    private readonly sql: SqlClient,
    private readonly store: EventStore,
    private readonly projections: Projection[],
    options: ProjectionEngineOptions = {},
  ) {
    const names = projections.map(({ name }) => name);
    const tables = projections.flatMap(({ tables }) => tables);
    if (new Set(names).size !== names.length) throw new Error(`Duplicate projection names: ${names.join(', ')}`);
    if (new Set(tables).size !== tables.length) throw new Error(`Projections share a table: ${tables.join(', ')}`);
    this.options = {
      batchSize: 2000,
      rebuildBatchSize: 5000,
      leaderRetryMs: 2000,
      heartbeatMs: 5000,
      retryDelayMs: 1000,
      recheckMs: 1000,
      logger: silent,
      ...options,
    };
  }

  /**
   * Prepares, then runs the projections whenever this instance holds the leader lock. Rejects with
   * ForeignCheckpointsError when checkpoints belong to another event store (a rebuild fixes that).
   */
  start(): Promise<void> {
    this.started ??= this.campaign();
    return this.started;
  }

  /**
   * Creates the checkpoint table and any missing projection tables (a projection whose tables are
   * missing starts over from the beginning of the log) and starts watching checkpoints. Idempotent;
   * enough on its own for an instance that only reports status or rebuilds.
   */
  prepare(): Promise<Prepared> {
    this.prepared ??= this.setUp();
    return this.prepared;
  }

  /** Runs `task` whenever this instance leads (register before `start`, or it waits for the next election). */
  runWhileLeading(task: LeaderTask): void {
    this.leaderTasks.push(task);
  }

  /** Called in this instance after each live batch it commits (leader only); returns the unsubscribe function. */
  onBatchCommitted(listener: (batch: BatchInfo) => void): () => void {
    this.batchListeners.add(listener);
    return () => this.batchListeners.delete(listener);
  }

  get isLeader(): boolean {
    return this.election?.isLeader ?? false;
  }

  async status(): Promise<ProjectionStatus[]> {
    const { checkpoints } = await this.prepare();
    const byName = new Map((await checkpoints.all(this.sql)).map((checkpoint) => [checkpoint.name, checkpoint]));
    return Promise.all(
      this.projections.map(async ({ name }) => {
        const checkpoint = byName.get(name);
        const position = checkpoint?.position ?? null;
        return {
          name,
          status: checkpoint?.status ?? 'RUNNING',
          position,
          lagEvents: await this.store.countAfter(position),
          lastError: checkpoint?.lastError ?? null,
          failedEvent: checkpoint?.failedEvent ?? null,
          updatedAt: checkpoint?.updatedAt ?? null,
        };
      }),
    );
  }

  /**
   * Read-your-writes: resolves true once every projection has processed the log up to `position`,
   * false after `timeoutMs` or as soon as a projection has failed before reaching it.
   */
  async waitFor(position: string, timeoutMs = 5000): Promise<boolean> {
    const { watch } = await this.prepare();
    return watch.waitFor(position, timeoutMs);
  }

  /**
   * The log position projection `name` has applied, as this instance last heard (its own commits at once,
   * other instances' by notification): what a cache of answers read from its tables can be keyed by.
   */
  async projectedPosition(name: string): Promise<string | null> {
    const { watch } = await this.prepare();
    return watch.position(name);
  }

  /**
   * Rebuilds the named projections (default: all) into fresh tables and swaps them in; queries keep
   * answering from the old tables meanwhile. Clears a FAILED status. Runs in any instance.
   */
  async rebuild(names?: string[], options: { onProgress?: (progress: RebuildProgress) => void } = {}): Promise<RebuildResult> {
    const selected = names?.map((name) => this.projection(name)) ?? this.projections;
    const { checkpoints } = await this.prepare();
    if (this.rebuilding) throw new RebuildInProgressError();
    this.rebuilding = true;
    try {
      const started = performance.now();
      const replayed = selected.filter((projection) => !projection.resumesOnRebuild);
      const resumed = selected.filter((projection) => projection.resumesOnRebuild).map(({ name }) => name);
      const context = {
        sql: this.sql,
        store: this.store,
        checkpoints,
        batchSize: this.options.rebuildBatchSize,
        onProgress: options.onProgress,
        aborted: () => this.stopped,
      };
      const run = async (): Promise<RebuildResult> => {
        const result = replayed.length > 0 ? await rebuildProjections(context, replayed) : { projections: [], events: 0, position: null, durationMs: 0 };
        if (resumed.length > 0) {
          // A projection that resumes rather than replays (the outbox: replaying would send again) and whose
          // checkpoint belongs to the store the service left starts at the new store's head: what it had
          // done was done on the old log, whose positions mean nothing here.
          const moved = (await checkpoints.foreign(this.sql, resumed)).map(({ name }) => name);
          const head = moved.length > 0 ? await this.store.headPosition() : null;
          await this.sql.transaction(async (tx) => {
            if (moved.length > 0) await checkpoints.reset(tx, moved, head);
            await checkpoints.resume(tx, resumed.filter((name) => !moved.includes(name)));
          });
        }
        return { ...result, projections: [...result.projections, ...resumed], durationMs: performance.now() - started };
      };
      if (this.sql.kind === 'pglite') return await run();
      // Other instances may rebuild too: one at a time per schema.
      return await this.sql.withConnection(async (conn) => {
        const lock = [PROJECTION_LOCKS.rebuild];
        const { rows } = await conn.query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1, hashtext(current_schema())) AS locked', lock);
        if (!rows[0].locked) throw new RebuildInProgressError();
        try {
          return await run();
        } finally {
          await conn.query('SELECT pg_advisory_unlock($1, hashtext(current_schema()))', lock);
        }
      });
    } finally {
      this.rebuilding = false;
    }
  }

  /** Stops leading and watching; the SQL client and the event store stay open (they are not ours). */
  async stop(): Promise<void> {
    this.stopped = true;
    await this.started?.catch(() => undefined);
    await this.election?.stop();
    const prepared = await this.prepared?.catch(() => undefined);
    await prepared?.watch.stop();
  }

  private async campaign(): Promise<void> {
    const { checkpoints, watch } = await this.prepare();
    const { sql, store, projections, options } = this;
    // Positions of another store would be read as this one's: refuse, a rebuild starts them over.
    await checkpoints.assertOwn(sql, projections.map(({ name }) => name));
    // Read-your-writes in this instance learns of a commit at once, before its notification comes back.
    const onBatch = (batch: BatchInfo) => {
      watch.observe({ checkpoints: batch.projections.map((name) => ({ name, position: batch.position, status: 'RUNNING' })) });
      options.onBatch?.(batch);
      for (const listener of this.batchListeners) {
        try {
          listener(batch);
        } catch (error) {
          options.logger.warn({ err: error }, 'a batch listener failed');
        }
      }
    };
    // Embedded (PGlite): one connection in this process, so an append's own transaction applies it (projection.runner.ts).
    const inAppendTransactions = sql.kind === 'pglite';
    const runner = new ProjectionRunner({ sql, store, checkpoints, ...options, onBatch, inAppendTransactions }, projections);
    this.runner = runner;
    this.election = new LeaderElection(
      sql,
      {
        onElected: async () => {
          await runner.start();
          for (const task of this.leaderTasks) {
            await Promise.resolve()
              .then(() => task.start())
              .catch((error: unknown) => options.logger.error({ err: error }, 'a leader task did not start'));
          }
        },
        onDeposed: async () => {
          for (const task of [...this.leaderTasks].reverse()) {
            await task.stop().catch((error: unknown) => options.logger.warn({ err: error }, 'a leader task did not stop cleanly'));
          }
          await runner.stop();
        },
      },
      { retryMs: options.leaderRetryMs, heartbeatMs: options.heartbeatMs, logger: options.logger },
    );
    if (!this.stopped) this.election.start();
  }

  private async setUp(): Promise<Prepared> {
    await runMigrations(this.sql, projectionMigrations);
    const checkpoints = new ProjectionCheckpoints(await this.checkpointChannel(), this.store.kind);
    await this.createMissingTables(checkpoints);
    const watch = new CheckpointWatch(
      this.sql,
      checkpoints,
      this.projections.map(({ name }) => name),
      {
        recheckMs: this.options.recheckMs,
        logger: this.options.logger,
        onReset: () => void this.runner?.restart(),
      },
    );
    await watch.start();
    return { checkpoints, watch };
  }

  /** Serialized across instances, so that two starting together do not both create the tables. */
  private async createMissingTables(checkpoints: ProjectionCheckpoints): Promise<void> {
    await this.sql.transaction(async (tx) => {
      await tx.query('SELECT pg_advisory_xact_lock($1, hashtext(current_schema()))', [PROJECTION_LOCKS.setup]);
      const known = new Set((await checkpoints.all(tx)).map(({ name }) => name));
      for (const projection of this.projections) {
        if (known.has(projection.name) && (await hasAllTables(tx, projection))) continue;
        await recreateTables(tx, [projection], liveTables, { indexes: true });
        await checkpoints.reset(tx, [projection.name], null);
      }
    });
  }

  /** NOTIFY channels are per database: name it after the schema so that schemas do not hear each other. */
  private async checkpointChannel(): Promise<string> {
    const { rows } = await this.sql.query<{ schema: string }>('SELECT current_schema() AS schema');
    return `projections_${rows[0].schema}`.toLowerCase().replace(/[^a-z0-9_]/g, '_').slice(0, 63);
  }

  private projection(name: string): Projection {
    const projection = this.projections.find((candidate) => candidate.name === name);
    if (!projection) throw new Error(`Unknown projection ${name}`);
    return projection;
  }
}
