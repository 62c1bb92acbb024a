import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { CqrsModule } from '@nestjs/cqrs';
import { GraphQLModule } from '@nestjs/graphql';
import { TerminusModule } from '@nestjs/terminus';
import type { Logger } from 'pino';
import { ApiKeyService } from '../auth/api-key.service';
import { AuthGuard } from '../auth/auth.guard';
import { ApiExceptionFilter } from '../common/api-exception.filter';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { DatabaseModule } from '../database/database.module';
import { EventStoreModule } from '../event-store/event-store.module';
import { graphqlConfig } from '../graphql/graphql.config';
import { HealthController } from '../health/health.controller';
import { HistoryResolver } from '../history/history.resolver';
import { LOGGER } from '../logging/logger';
import { MetricsController } from '../metrics/metrics.controller';
import { MetricsService } from '../metrics/metrics.service';
import { CostModule } from '../cost/cost.module';
import { FxModule } from '../fx/fx.module';
import { PlanningModule } from '../planning/planning.module';
import { ProcurementModule } from '../procurement/procurement.module';
import { ResidencyModule } from '../residency/residency.module';
import { PolicyModule } from '../policy/policy.module';
import { PopModule } from '../pop/pop.module';
import { WorkloadModule } from '../workload/workload.module';
import { ProjectionsModule } from '../projections/projections.module';

@Module({})
export class AppModule {
  static forRoot(config: AppConfig, logger: Logger): DynamicModule {
    const globals = {
      module: AppModule,
      global: true,
      providers: [
        { provide: APP_CONFIG, useValue: config },
        { provide: LOGGER, useValue: logger },
        MetricsService,
        ApiKeyService,
      ],
      exports: [APP_CONFIG, LOGGER, MetricsService, ApiKeyService],
    };
    return {
      ...globals,
      imports: [
        CqrsModule.forRoot(),
        TerminusModule,
        DatabaseModule,
        EventStoreModule,
        GraphQLModule.forRoot(graphqlConfig(logger)),
        ProjectionsModule,
        PopModule,
        WorkloadModule,
        PolicyModule,
        FxModule,
        PlanningModule,
        CostModule,
        ResidencyModule,
        ProcurementModule,
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
