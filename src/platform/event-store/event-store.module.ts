import { Global, Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import type { Logger } from 'pino';
import { APP_CONFIG, AppConfig } from '../config/app.config';
import { SQL_CLIENT, SqlClient } from '../database/sql-client.port';
import { LOGGER } from '../observability/logger.util';
import { createEventStore } from './event-store.factory';
import { EVENT_STORE, EventStore } from './event-store.port';

/** Chooses the event-store adapter from EVENT_STORE; the rest of the service sees only the port. */
@Global()
@Module({
  providers: [
    {
      provide: EVENT_STORE,
      inject: [APP_CONFIG, SQL_CLIENT, LOGGER],
      useFactory: (config: AppConfig, sql: SqlClient, logger: Logger): Promise<EventStore> =>
        createEventStore(config, sql, logger.child({ component: 'event-store' })),
    },
  ],
  exports: [EVENT_STORE],
})
export class EventStoreModule implements OnApplicationShutdown {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async onApplicationShutdown(): Promise<void> {
    await this.store.close();
  }
}
