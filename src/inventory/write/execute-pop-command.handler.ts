import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { CommandEnvelope } from '../../platform/commands/command-envelope.types';
import { CommandExecutor, CommandItem, CommandOutcome } from '../../platform/commands/command-executor.service';
import { CommandResult } from '../../platform/commands/command-result.types';
import { PopCommand } from '../domain/pop.commands';
import { popDecider } from '../domain/pop.decider';
import { popStream } from '../domain/pop.streams';

/** A PoP command on its way to the `pop-<popId>` stream. */
export class ExecutePopCommand {
  constructor(
    readonly command: PopCommand,
    readonly envelope: CommandEnvelope,
  ) {}
}

@CommandHandler(ExecutePopCommand)
export class ExecutePopCommandHandler implements ICommandHandler<ExecutePopCommand, CommandResult> {
  constructor(private readonly executor: CommandExecutor) {}

  execute({ command, envelope }: ExecutePopCommand): Promise<CommandResult> {
    return this.executor.execute(popDecider, popStream(command.data.popId), command, envelope);
  }
}

/** Commands for one PoP from a batch import, applied in order and appended together (see CommandExecutor.executeAll). */
export class ExecutePopCommands {
  constructor(
    readonly popId: string,
    readonly items: readonly CommandItem<PopCommand>[],
  ) {}
}

@CommandHandler(ExecutePopCommands)
export class ExecutePopCommandsHandler implements ICommandHandler<ExecutePopCommands, CommandOutcome[]> {
  constructor(private readonly executor: CommandExecutor) {}

  execute({ popId, items }: ExecutePopCommands): Promise<CommandOutcome[]> {
    return this.executor.executeAll(popDecider, popStream(popId), items);
  }
}
