import { Controller, Get, Inject } from '@nestjs/common';
import { HealthCheck, HealthCheckService, HealthIndicatorService } from '@nestjs/terminus';
import { Public } from '../platform/api/auth/access.decorator';
import { SQL_CLIENT, SqlClient } from '../platform/database/sql-client.port';
import { EVENT_STORE, EventStore } from '../platform/event-store/event-store.port';

/** Liveness (`/health/live`) and readiness (`/health`, `/health/ready`: both stores answer). */
@Controller('health')
@Public()
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicator: HealthIndicatorService,
    @Inject(SQL_CLIENT) private readonly sql: SqlClient,
    @Inject(EVENT_STORE) private readonly events: EventStore,
  ) {}

  @Get('live')
  live() {
    return { status: 'ok' };
  }

  @Get()
  @HealthCheck()
  check() {
    return this.ready();
  }

  @Get('ready')
  @HealthCheck()
  ready() {
    return this.health.check([
      () => this.probe('readStore', async () => void (await this.sql.query('SELECT 1'))),
      () => this.probe('eventStore', async () => void (await this.events.headPosition())),
    ]);
  }

  private async probe(key: string, ping: () => Promise<void>) {
    const session = this.indicator.check(key);
    try {
      await withTimeout(ping(), 2000);
      return session.up({ kind: key === 'readStore' ? this.sql.kind : this.events.kind });
    } catch (error) {
      return session.down({ message: (error as Error).message });
    }
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
