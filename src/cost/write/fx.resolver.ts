import { Args, Mutation, Resolver } from '@nestjs/graphql';
import { CommandBus, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { Access } from '../../platform/api/auth/access.decorator';
import { CurrentPrincipal } from '../../platform/api/auth/principal.decorator';
import { Principal } from '../../platform/api/auth/roles.types';
import { CommandEnvelope } from '../../platform/commands/command-envelope.types';
import { CommandExecutor } from '../../platform/commands/command-executor.service';
import { CommandResult } from '../../platform/commands/command-result.types';
import { commandsOf } from '../../platform/commands/domain-command.factory';
import { SetExchangeRatesInput } from './set-exchange-rates.input';
import { fxDecider, SetExchangeRates } from '../domain/fx.decider';
import { FX_STREAM } from '../domain/fx.streams';

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
    const { command, envelope } = commandsOf<SetExchangeRates>().from('SetExchangeRates', input, p, 'graphql');
    return this.commands.execute(new ExecuteFxCommand(command, envelope));
  }
}
