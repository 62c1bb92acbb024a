import { Args, Mutation, Resolver } from '@nestjs/graphql';
import { CommandBus } from '@nestjs/cqrs';
import { Access } from '../../platform/api/auth/access.decorator';
import { CurrentPrincipal } from '../../platform/api/auth/principal.decorator';
import { Principal } from '../../platform/api/auth/roles.types';
import { CommandResult } from '../../platform/commands/command-result.types';
import { commandsOf } from '../../platform/commands/domain-command.factory';
import { PolicyCommand } from '../domain/policy.commands';
import { ExecutePolicyCommand } from './execute-policy-command.handler';
import { DefineResidencyPolicyInput, RetireResidencyPolicyInput } from './policy.input';

const policyCommands = commandsOf<PolicyCommand>();

@Resolver()
@Access('adminOnly')
export class PolicyResolver {
  constructor(private readonly commands: CommandBus) {}

  @Mutation(() => CommandResult)
  defineResidencyPolicy(@Args('input') input: DefineResidencyPolicyInput, @CurrentPrincipal() p: Principal) {
    const { command, envelope } = policyCommands.from('DefineResidencyPolicy', input, p, 'graphql');
    return this.commands.execute(new ExecutePolicyCommand(command, envelope));
  }

  @Mutation(() => CommandResult)
  retireResidencyPolicy(@Args('input') input: RetireResidencyPolicyInput, @CurrentPrincipal() p: Principal) {
    const { command, envelope } = policyCommands.from('RetireResidencyPolicy', input, p, 'graphql');
    return this.commands.execute(new ExecutePolicyCommand(command, envelope));
  }
}
