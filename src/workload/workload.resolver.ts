import { Args, Mutation, Resolver } from '@nestjs/graphql';
import { CommandBus } from '@nestjs/cqrs';
import { Access } from '../auth/access.decorator';
import { CurrentPrincipal } from '../auth/principal.decorator';
import { Principal } from '../auth/roles';
import { CommandResult } from '../commands/command-result';
import { toDomainCommand } from '../commands/to-domain-command';
import { WorkloadCommand } from '../domain/workload/workload.commands';
import { CommandInput } from '../graphql/inputs/command.input';
import { ExecuteWorkloadCommand } from './execute-workload-command';
import { PlaceWorkloadInput, RegisterWorkloadInput, WithdrawWorkloadInput } from './workload.inputs';

@Resolver()
@Access('workloadWrite')
export class WorkloadResolver {
  constructor(private readonly commands: CommandBus) {}

  private send(type: WorkloadCommand['type'], input: CommandInput, principal: Principal): Promise<CommandResult> {
    const { command, envelope } = toDomainCommand(type, input, principal, 'graphql');
    return this.commands.execute(new ExecuteWorkloadCommand(command as WorkloadCommand, envelope));
  }

  @Mutation(() => CommandResult)
  registerWorkload(@Args('input') input: RegisterWorkloadInput, @CurrentPrincipal() p: Principal) {
    return this.send('RegisterWorkload', input, p);
  }

  @Mutation(() => CommandResult)
  placeWorkload(@Args('input') input: PlaceWorkloadInput, @CurrentPrincipal() p: Principal) {
    return this.send('PlaceWorkload', input, p);
  }

  @Mutation(() => CommandResult)
  withdrawWorkload(@Args('input') input: WithdrawWorkloadInput, @CurrentPrincipal() p: Principal) {
    return this.send('WithdrawWorkload', input, p);
  }
}
