import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { CommandEnvelope } from '../../platform/commands/command-envelope.types';
import { CommandExecutor } from '../../platform/commands/command-executor.service';
import { CommandResult } from '../../platform/commands/command-result.types';
import { PolicyCommand } from '../domain/policy.commands';
import { policyDecider } from '../domain/policy.decider';
import { policyStream } from '../domain/residency.streams';

export class ExecutePolicyCommand {
  constructor(
    readonly command: PolicyCommand,
    readonly envelope: CommandEnvelope,
  ) {}
}

@CommandHandler(ExecutePolicyCommand)
export class ExecutePolicyCommandHandler implements ICommandHandler<ExecutePolicyCommand, CommandResult> {
  constructor(private readonly executor: CommandExecutor) {}

  execute({ command, envelope }: ExecutePolicyCommand): Promise<CommandResult> {
    return this.executor.execute(policyDecider, policyStream(command.data.policyId), command, envelope);
  }
}
