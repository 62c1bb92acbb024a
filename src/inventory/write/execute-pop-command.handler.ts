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

/**
 * Commands for several PoPs from a batch import: each PoP's applied in order, all appended together
 * (see CommandExecutor.executeAcross); one list of outcomes per PoP, in the order given.
 */
export class ExecutePopCommands {
  constructor(readonly pops: readonly { popId: string; items: readonly CommandItem<PopCommand>[] }[]) {}
}

@CommandHandler(ExecutePopCommands)
export class ExecutePopCommandsHandler implements ICommandHandler<ExecutePopCommands, CommandOutcome[][]> {
  constructor(private readonly executor: CommandExecutor) {}

  execute({ pops }: ExecutePopCommands): Promise<CommandOutcome[][]> {
    return this.executor.executeAcross(popDecider, pops.map(({ popId, items }) => ({ streamId: popStream(popId), items })));
  }
}
