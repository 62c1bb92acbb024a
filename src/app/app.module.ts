import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { CqrsModule } from '@nestjs/cqrs';
import { GraphQLModule } from '@nestjs/graphql';
import { TerminusModule } from '@nestjs/terminus';
import type { Logger } from 'pino';
import { AccessModule, ApiKeyDirectoryService } from '../access';
import { CostModule } from '../cost';
import { InventoryModule } from '../inventory';
import { API_KEY_DIRECTORY } from '../platform/api/auth/api-key-directory.port';
import { OutboundModule } from '../outbound';
import { ApiKeyService } from '../platform/api/auth/api-key.service';
import { AuthGuard } from '../platform/api/auth/auth.guard';
import { ApiExceptionFilter } from '../platform/api/errors/api-exception.filter';
import { graphqlConfig } from '../platform/api/graphql.config';
import { HistoryResolver } from '../platform/api/history/history.resolver';
import { APP_CONFIG, AppConfig } from '../platform/config/app.config';
import { DatabaseModule, MIGRATIONS } from '../platform/database/database.module';
import { EventStoreModule } from '../platform/event-store/event-store.module';
import { LOGGER } from '../platform/observability/logger.util';
import { MetricsService } from '../platform/observability/metrics.service';
import { tracingStarted } from '../platform/observability/tracing.util';
import { PROJECTIONS, ProjectionsModule } from '../platform/projections/projections.module';
import { ProcurementModule } from '../procurement';
import { ResidencyModule } from '../residency';
import { ScenariosModule } from '../scenarios';
import { allMigrations } from './all-migrations.registry';
import { allProjections } from './all-projections.registry';
import { HealthController } from './health.controller';
import { MetricsController } from './metrics.controller';

/** The composition root: the platform, then every feature; the one place that knows them all. */
@Module({})
export class AppModule {
  static forRoot(config: AppConfig, logger: Logger): DynamicModule {
    const globals = {
      module: AppModule,
      global: true,
      providers: [
        { provide: APP_CONFIG, useValue: config },
        { provide: LOGGER, useValue: logger },
        { provide: MIGRATIONS, useValue: allMigrations(config) },
        { provide: PROJECTIONS, useValue: allProjections(config) },
        MetricsService,
        // The platform's authentication asks the access feature about stored keys through this port.
        { provide: API_KEY_DIRECTORY, useExisting: ApiKeyDirectoryService },
        ApiKeyService,
      ],
      exports: [APP_CONFIG, LOGGER, MIGRATIONS, PROJECTIONS, MetricsService, ApiKeyService],
    };
    return {
      ...globals,
      imports: [
        CqrsModule.forRoot(),
        TerminusModule,
        DatabaseModule,
        EventStoreModule,
        GraphQLModule.forRoot(graphqlConfig(logger, { tracing: tracingStarted() })),
        ProjectionsModule,
        InventoryModule,
        ResidencyModule,
        CostModule,
        ProcurementModule,
        AccessModule,
        ScenariosModule,
        OutboundModule,
      ],
      controllers: [HealthController, MetricsController],
      providers: [
        ...globals.providers,
        HistoryResolver,
        { provide: APP_GUARD, useClass: AuthGuard },
        { provide: APP_FILTER, useClass: ApiExceptionFilter },
      ],
    };
  }
}
