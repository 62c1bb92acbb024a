import { AsyncResource } from 'node:async_hooks';
import { SqlClient } from '../database/sql-client.port';
import { CheckpointNotice, ProjectionCheckpoints, ProjectionState } from './projection-checkpoints.sql';
import { ProjectionLogger } from './projection.runner';

interface Waiter {
  position: string;
  finish(reached: boolean): void;
}

export interface CheckpointWatchOptions {
  /** Safety re-read of the checkpoint table while someone waits (a notification can be lost with its connection). */
  recheckMs: number;
  logger: ProjectionLogger;
  /** A rebuild swapped projections' tables in: the live runner must resubscribe. */
  onReset(): void;
}

/**
 * Knows every projection's checkpoint in any instance, leader or not: LISTENs on the checkpoint
 * channel, and answers read-your-writes waits from that.
 */
export class CheckpointWatch {
  private readonly states = new Map<string, { position: string | null; status: ProjectionState }>();
  private readonly waiters = new Set<Waiter>();
  /** Notices count up; a table read only overrides projections no notice has touched since it began. */
  private notices = 0;
  private readonly touched = new Map<string, number>();
  private unlisten?: () => Promise<void>;
  private recheck?: NodeJS.Timeout;
  private stopped = false;

  constructor(
    private readonly sql: SqlClient,
    private readonly checkpoints: ProjectionCheckpoints,
    private readonly names: readonly string[],
    private readonly options: CheckpointWatchOptions,
  ) {}

  async start(): Promise<void> {
    // Bound to this context: PGlite delivers a notification inside the transaction that sent it, where
    // the SQL a reset starts would be refused.
    const onNotice = AsyncResource.bind((payload: string) => this.onNotice(payload));
    this.unlisten = await this.sql.listen(this.checkpoints.channel, onNotice);
    await this.refresh();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const waiter of this.waiters) waiter.finish(false);
    await this.unlisten?.();
  }

  /** True once every projection has passed `position`; false on timeout or when one has failed before it. */
  waitFor(position: string, timeoutMs: number): Promise<boolean> {
    if (this.stopped) return Promise.resolve(false);
    const verdict = this.verdict(position);
    if (verdict !== undefined) return Promise.resolve(verdict);
    return new Promise((resolve) => {
      const waiter: Waiter = {
        position,
        finish: (reached) => {
          clearTimeout(timer);
          this.waiters.delete(waiter);
          if (this.waiters.size === 0) this.stopRecheck();
          resolve(reached);
        },
      };
      const timer = setTimeout(() => waiter.finish(false), timeoutMs);
      this.waiters.add(waiter);
      this.startRecheck();
    });
  }

  /** The position projection `name` is last known to have reached (null: nothing yet). */
  position(name: string): string | null {
    return this.states.get(name)?.position ?? null;
  }

  private verdict(position: string): boolean | undefined {
    let reached = true;
    for (const name of this.names) {
      const state = this.states.get(name);
      if (state?.position != null && state.position >= position) continue;
      if (state?.status === 'FAILED') return false;
      reached = false;
    }
    return reached ? true : undefined;
  }

  private settle(): void {
    for (const waiter of this.waiters) {
      const verdict = this.verdict(waiter.position);
      if (verdict !== undefined) waiter.finish(verdict);
    }
  }

  /**
   * Takes in a checkpoint change: from the channel, or straight from this instance's runner after its
   * commit (the notification of that commit then repeats it).
   */
  observe(notice: CheckpointNotice): void {
    this.notices++;
    for (const { name, position, status } of notice.checkpoints) {
      // A notification can come after the runner's own report of a later commit: never step back (a reset may).
      const known = this.states.get(name);
      if (!notice.reset && status === 'RUNNING' && known?.status === 'RUNNING' && known.position !== null && (position === null || position < known.position)) continue;
      this.states.set(name, { position, status });
      this.touched.set(name, this.notices);
    }
    this.settle();
    if (notice.reset) this.options.onReset();
  }

  private onNotice(payload: string): void {
    // An empty payload: the listener reconnected and may have missed notices.
    if (payload === '') return this.recheckNow();
    this.observe(JSON.parse(payload) as CheckpointNotice);
  }

  private async refresh(): Promise<void> {
    const since = this.notices;
    for (const { name, position, status } of await this.checkpoints.all(this.sql)) {
      if ((this.touched.get(name) ?? 0) <= since) this.states.set(name, { position, status });
    }
    this.settle();
  }

  private recheckNow(): void {
    this.refresh().catch((error) => this.options.logger.warn({ err: error }, 'projection checkpoint re-read failed'));
  }

  private startRecheck(): void {
    this.recheck ??= setInterval(() => this.recheckNow(), this.options.recheckMs);
    this.recheck.unref();
  }

  private stopRecheck(): void {
    clearInterval(this.recheck);
    this.recheck = undefined;
  }
}
