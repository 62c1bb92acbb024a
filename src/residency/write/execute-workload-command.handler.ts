import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { CommandEnvelope } from '../../platform/commands/command-envelope.types';
import { CommandExecutor } from '../../platform/commands/command-executor.service';
import { CommandResult } from '../../platform/commands/command-result.types';
import { popDecider, PopStatus, popStatusAsOf, popStream } from '../../inventory';
import { workloadStream } from '../domain/residency.streams';
import { WorkloadCommand } from '../domain/workload.commands';
import { workloadDecider } from '../domain/workload.decider';

export class ExecuteWorkloadCommand {
  constructor(
    readonly command: WorkloadCommand,
    readonly envelope: CommandEnvelope,
  ) {}
}

/** Placement decisions read the PoP's status at the placement's effective time from the PoP stream. */
@CommandHandler(ExecuteWorkloadCommand)
export class ExecuteWorkloadCommandHandler implements ICommandHandler<ExecuteWorkloadCommand, CommandResult> {
  constructor(private readonly executor: CommandExecutor) {}

  async execute({ command, envelope }: ExecuteWorkloadCommand): Promise<CommandResult> {
    const statuses = new Map<string, (at: string) => PopStatus | null>();
    if (command.type !== 'RegisterWorkload') {
      const { state } = await this.executor.load(popDecider, popStream(command.data.popId));
      statuses.set(command.data.popId, (at) => popStatusAsOf(state, at));
    }
    const context = { popStatusAt: (popId: string, at: string) => statuses.get(popId)?.(at) ?? null };
    return this.executor.execute(workloadDecider, workloadStream(command.data.workloadId), command, envelope, context);
  }
}
