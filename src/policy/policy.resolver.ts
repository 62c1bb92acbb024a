import { Args, Mutation, Resolver } from '@nestjs/graphql';
import { CommandBus } from '@nestjs/cqrs';
import { Access } from '../auth/access.decorator';
import { CurrentPrincipal } from '../auth/principal.decorator';
import { Principal } from '../auth/roles';
import { CommandResult } from '../commands/command-result';
import { toDomainCommand } from '../commands/to-domain-command';
import { PolicyCommand } from '../domain/policy/policy.commands';
import { ExecutePolicyCommand } from './execute-policy-command';
import { DefineResidencyPolicyInput, RetireResidencyPolicyInput } from './policy.inputs';

@Resolver()
@Access('adminOnly')
export class PolicyResolver {
  constructor(private readonly commands: CommandBus) {}

  @Mutation(() => CommandResult)
  defineResidencyPolicy(@Args('input') input: DefineResidencyPolicyInput, @CurrentPrincipal() p: Principal) {
    const { command, envelope } = toDomainCommand('DefineResidencyPolicy', input, p, 'graphql');
    return this.commands.execute(new ExecutePolicyCommand(command as PolicyCommand, envelope));
  }

  @Mutation(() => CommandResult)
  retireResidencyPolicy(@Args('input') input: RetireResidencyPolicyInput, @CurrentPrincipal() p: Principal) {
    const { command, envelope } = toDomainCommand('RetireResidencyPolicy', input, p, 'graphql');
    return this.commands.execute(new ExecutePolicyCommand(command as PolicyCommand, envelope));
  }
}
