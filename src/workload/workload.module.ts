import { Module } from '@nestjs/common';
import { CommandsModule } from '../commands/commands.module';
import { ExecuteWorkloadCommandHandler } from './execute-workload-command';
import { WorkloadResolver } from './workload.resolver';

@Module({
  imports: [CommandsModule],
  providers: [WorkloadResolver, ExecuteWorkloadCommandHandler],
})
export class WorkloadModule {}
