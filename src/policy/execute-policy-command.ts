import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { CommandEnvelope } from '../commands/command-envelope';
import { CommandExecutor } from '../commands/command-executor';
import { CommandResult } from '../commands/command-result';
import { PolicyCommand } from '../domain/policy/policy.commands';
import { policyDecider } from '../domain/policy/policy.decider';
import { policyStream } from '../domain/streams';

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
