import { SqlClient, SqlQueryable } from '../database/sql-client.port';
import { ProjectionLogger } from './projection.runner';

export interface LeaderElectionOptions {
  /** How often a follower tries to take the lock. */
  retryMs: number;
  /** How often the leader checks that its lock connection is alive. */
  heartbeatMs: number;
  logger: ProjectionLogger;
}

export interface Leadership {
  onElected(): Promise<void>;
  onDeposed(): Promise<void>;
}

/** First key of the two-key advisory locks of this module; the second is the schema's hash. */
/** A heartbeat (or unlock) slower than this counts as a dead connection. */
const HEARTBEAT_TIMEOUT_MS = 10_000;

export const PROJECTION_LOCKS = { leader: 7_050_001, setup: 7_050_002, rebuild: 7_050_003 } as const;

/**
 * Exactly one leader per schema: the instance holding a session-level advisory lock on a dedicated
 * connection. PostgreSQL releases the lock when that connection dies, and a follower takes over at
 * its next try. A leader that loses its connection steps down at its next heartbeat; until then the
 * checkpoint claims keep the two from doubling any event. PGlite runs in one process: it just leads.
 */
export class LeaderElection {
  private stopped = false;
  private leading = false;
  private loop?: Promise<void>;
  private wake?: () => void;

  constructor(
    private readonly sql: SqlClient,
    private readonly leadership: Leadership,
    private readonly options: LeaderElectionOptions,
  ) {}

  get isLeader(): boolean {
    return this.leading;
  }

  start(): void {
    this.loop = this.sql.kind === 'pglite' ? this.leadAlone() : this.campaign();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.wake?.();
    await this.loop;
  }

  private async leadAlone(): Promise<void> {
    await this.lead();
    await this.pause(Infinity);
    await this.stepDown();
  }

  private async campaign(): Promise<void> {
    while (!this.stopped) {
      try {
        await this.sql.withConnection((conn) => this.leadWhileLocked(conn));
      } catch (error) {
        this.options.logger.warn({ err: error }, 'projection leadership lost or not obtainable');
      }
      if (!this.stopped) await this.pause(this.options.retryMs);
    }
  }

  private async leadWhileLocked(conn: SqlQueryable): Promise<void> {
    const lock = [PROJECTION_LOCKS.leader];
    const { rows } = await conn.query<{ locked: boolean }>(
      'SELECT pg_try_advisory_lock($1, hashtext(current_schema())) AS locked',
      lock,
    );
    if (!rows[0].locked) return;
    try {
      await this.lead();
      while (!this.stopped) {
        await this.pause(this.options.heartbeatMs);
        await within(conn.query('SELECT 1'), HEARTBEAT_TIMEOUT_MS, 'leader heartbeat');
      }
    } finally {
      try {
        await this.stepDown();
      } finally {
        // Throwing here (connection gone) makes the pool discard the connection, and the lock with it.
        const unlock = conn.query('SELECT pg_advisory_unlock($1, hashtext(current_schema()))', lock);
        await within(unlock, HEARTBEAT_TIMEOUT_MS, 'leader unlock');
      }
    }
  }

  private async lead(): Promise<void> {
    this.leading = true;
    this.options.logger.info({}, 'leading the projections');
    await this.leadership.onElected();
  }

  private async stepDown(): Promise<void> {
    this.leading = false;
    await this.leadership.onDeposed();
  }

  private pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      if (this.stopped) return resolve();
      const done = () => {
        clearTimeout(timer);
        this.wake = undefined;
        resolve();
      };
      const timer = ms === Infinity ? undefined : setTimeout(done, ms);
      this.wake = done;
    });
  }
}

async function within<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took longer than ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
