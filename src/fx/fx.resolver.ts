import { Args, Mutation, Resolver } from '@nestjs/graphql';
import { CommandBus, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { Access } from '../auth/access.decorator';
import { CurrentPrincipal } from '../auth/principal.decorator';
import { Principal } from '../auth/roles';
import { CommandEnvelope } from '../commands/command-envelope';
import { CommandExecutor } from '../commands/command-executor';
import { CommandResult } from '../commands/command-result';
import { toDomainCommand } from '../commands/to-domain-command';
import { SetExchangeRatesInput } from '../cost/set-exchange-rates.input';
import { fxDecider, SetExchangeRates } from '../domain/fx/fx-rates';
import { FX_STREAM } from '../domain/streams';

export class ExecuteFxCommand {
  constructor(
    readonly command: SetExchangeRates,
    readonly envelope: CommandEnvelope,
  ) {}
}

/** All rates live on the single `fx-rates` stream, effective-dated like every other fact. */
@CommandHandler(ExecuteFxCommand)
export class ExecuteFxCommandHandler implements ICommandHandler<ExecuteFxCommand, CommandResult> {
  constructor(private readonly executor: CommandExecutor) {}

  execute({ command, envelope }: ExecuteFxCommand): Promise<CommandResult> {
    return this.executor.execute(fxDecider, FX_STREAM, command, envelope);
  }
}

@Resolver()
@Access('adminOnly')
export class FxResolver {
  constructor(private readonly commands: CommandBus) {}

  @Mutation(() => CommandResult)
  setExchangeRates(@Args('input') input: SetExchangeRatesInput, @CurrentPrincipal() p: Principal) {
    const { command, envelope } = toDomainCommand('SetExchangeRates', input, p, 'graphql');
    return this.commands.execute(new ExecuteFxCommand(command as SetExchangeRates, envelope));
  }
}
