import { Args, Mutation, Resolver } from '@nestjs/graphql';
import { CommandBus } from '@nestjs/cqrs';
import { Access } from '../../platform/api/auth/access.decorator';
import { CurrentPrincipal } from '../../platform/api/auth/principal.decorator';
import { Principal } from '../../platform/api/auth/roles.types';
import { CommandResult } from '../../platform/commands/command-result.types';
import { commandsOf, DomainCommandAndEnvelope } from '../../platform/commands/domain-command.factory';
import { WorkloadCommand } from '../domain/workload.commands';
import { ExecuteWorkloadCommand } from './execute-workload-command.handler';
import { PlaceWorkloadInput, RegisterWorkloadInput, WithdrawWorkloadInput } from './workload.input';

const workloadCommands = commandsOf<WorkloadCommand>();

@Resolver()
@Access('workloadWrite')
export class WorkloadResolver {
  constructor(private readonly commands: CommandBus) {}

  private send({ command, envelope }: DomainCommandAndEnvelope<WorkloadCommand>): Promise<CommandResult> {
    return this.commands.execute(new ExecuteWorkloadCommand(command, envelope));
  }

  @Mutation(() => CommandResult)
  registerWorkload(@Args('input') input: RegisterWorkloadInput, @CurrentPrincipal() p: Principal) {
    return this.send(workloadCommands.from('RegisterWorkload', input, p, 'graphql'));
  }

  @Mutation(() => CommandResult)
  placeWorkload(@Args('input') input: PlaceWorkloadInput, @CurrentPrincipal() p: Principal) {
    return this.send(workloadCommands.from('PlaceWorkload', input, p, 'graphql'));
  }

  @Mutation(() => CommandResult)
  withdrawWorkload(@Args('input') input: WithdrawWorkloadInput, @CurrentPrincipal() p: Principal) {
    return this.send(workloadCommands.from('WithdrawWorkload', input, p, 'graphql'));
  }
}
