import { Module } from '@nestjs/common';
import { CommandsModule } from '../platform/commands/commands.module';
import { Projection } from '../platform/projections/projection.port';
import { ResidencyReportController } from './read/residency-report.controller';
import { ResidencyCsvHandler, ResidencyReportHandler } from './read/residency-report.query';
import { ResidencyReportResolver } from './read/residency-report.resolver';
import { residencyProjection } from './read/residency.projection';
import { ExecutePolicyCommandHandler } from './write/execute-policy-command.handler';
import { ExecuteWorkloadCommandHandler } from './write/execute-workload-command.handler';
import { PolicyResolver } from './write/policy.resolver';
import { WorkloadResolver } from './write/workload.resolver';

/** Read models the projection engine must run for the residency reports. */
export const residencyProjections: Projection[] = [residencyProjection];

/** Data residency: workloads and policies (write), the evaluated report (read). */
@Module({
  imports: [CommandsModule],
  controllers: [ResidencyReportController],
  providers: [
    PolicyResolver, ExecutePolicyCommandHandler, WorkloadResolver, ExecuteWorkloadCommandHandler,
    ResidencyReportResolver, ResidencyReportHandler, ResidencyCsvHandler,
  ],
})
export class ResidencyModule {}
