import { BeforeApplicationShutdown, Global, Inject, Module, OnApplicationBootstrap } from '@nestjs/common';
import type { Logger } from 'pino';
import { PROJECTION_WAITER } from '../commands/projection-waiter';
import { SQL_CLIENT, SqlClient } from '../database/sql-client';
import { EVENT_STORE, EventStore } from '../event-store/event-store.port';
import { LOGGER } from '../logging/logger';
import { MetricsService } from '../metrics/metrics.service';
import { allProjections } from './all-projections';
import { ProjectionEngine } from './projection-engine';
import { ProjectionsResolver } from './projections.resolver';

/** Runs the read models' projections (leader only) and offers read-your-writes to every instance. */
@Global()
@Module({
  providers: [
    {
      provide: ProjectionEngine,
      inject: [SQL_CLIENT, EVENT_STORE, LOGGER, MetricsService],
      useFactory: (sql: SqlClient, store: EventStore, logger: Logger, metrics: MetricsService) => {
        const engine = new ProjectionEngine(sql, store, allProjections(), { logger: logger.child({ component: 'projections' }) });
        metrics.setProjectionSource(async () =>
          (await engine.status()).map((s) => ({ name: s.name, lagEvents: s.lagEvents, failed: s.status === 'FAILED' })),
        );
        return engine;
      },
    },
    { provide: PROJECTION_WAITER, useExisting: ProjectionEngine },
    ProjectionsResolver,
  ],
  exports: [ProjectionEngine, PROJECTION_WAITER],
})
export class ProjectionsModule implements OnApplicationBootstrap, BeforeApplicationShutdown {
  constructor(@Inject(ProjectionEngine) private readonly engine: ProjectionEngine) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.engine.start();
  }

  /** Before the stores close, so no batch is cut off mid-transaction. */
  async beforeApplicationShutdown(): Promise<void> {
    await this.engine.stop();
  }
}
