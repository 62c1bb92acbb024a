import { CommandBus } from '@nestjs/cqrs';
import { Args, Mutation, Resolver } from '@nestjs/graphql';
import { Access } from '../../platform/api/auth/access.decorator';
import { CurrentPrincipal } from '../../platform/api/auth/principal.decorator';
import { Principal } from '../../platform/api/auth/roles.types';
import { commandsOf } from '../../platform/commands/domain-command.factory';
import { ApiKeyCreatedNode, ApiKeyNode } from '../api-key.graphql';
import { ApiKeyCommand } from '../domain/api-key.commands';
import { ExecuteCreateApiKey, ExecuteRevokeApiKey } from './api-key-commands.handler';
import { CreateApiKeyInput, RevokeApiKeyInput } from './api-key.input';

const apiKeyCommands = commandsOf<ApiKeyCommand>();

/** Stored API keys (docs/api.md, "API keys"): admin only, like every key operation. */
@Resolver()
@Access('adminOnly')
export class ApiKeyResolver {
  constructor(private readonly commands: CommandBus) {}

  @Mutation(() => ApiKeyCreatedNode, { description: 'Creates a stored key; the answer shows its secret, once' })
  createApiKey(@Args('input') input: CreateApiKeyInput, @CurrentPrincipal() p: Principal): Promise<ApiKeyCreatedNode> {
    const { command, envelope } = apiKeyCommands.from('CreateApiKey', input, p, 'graphql');
    return this.commands.execute(new ExecuteCreateApiKey(command, envelope));
  }

  @Mutation(() => ApiKeyNode, { description: 'Revokes a stored key: refused on every instance within a second' })
  revokeApiKey(@Args('input') input: RevokeApiKeyInput, @CurrentPrincipal() p: Principal): Promise<ApiKeyNode> {
    const { command, envelope } = apiKeyCommands.from('RevokeApiKey', input, p, 'graphql');
    return this.commands.execute(new ExecuteRevokeApiKey(command, envelope));
  }
}
