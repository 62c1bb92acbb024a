import { Global, Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { openSqlClient } from './open-sql-client';
import { SQL_CLIENT, SqlClient } from './sql-client';

/** The read store (and, with EVENT_STORE=postgres, the event store's database), migrated at start. */
@Global()
@Module({
  providers: [
    {
      provide: SQL_CLIENT,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig): Promise<SqlClient> => openSqlClient(config),
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
