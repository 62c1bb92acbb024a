import { Global, Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../config/app.config';
import { Migration } from './migrations.runner';
import { openSqlClient } from './open-sql-client.factory';
import { SQL_CLIENT, SqlClient } from './sql-client.port';

/** The schema changes to apply at start; the composition root provides them (src/app). */
export const MIGRATIONS = Symbol('MIGRATIONS');

/** The read store (and, with EVENT_STORE=postgres, the event store's database), migrated at start. */
@Global()
@Module({
  providers: [
    {
      provide: SQL_CLIENT,
      inject: [APP_CONFIG, MIGRATIONS],
      useFactory: (config: AppConfig, migrations: Migration[]): Promise<SqlClient> => openSqlClient(config, migrations),
    },
  ],
  exports: [SQL_CLIENT],
})
export class DatabaseModule implements OnApplicationShutdown {
  constructor(@Inject(SQL_CLIENT) private readonly sql: SqlClient) {}

  async onApplicationShutdown(): Promise<void> {
    await this.sql.close();
  }
}
