import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { lookup } from '../../kernel/id-index.util';
import { ApiKeyService } from '../../platform/api/auth/api-key.service';
import { generateSecret, hashSecret } from '../../platform/api/auth/api-key.util';
import { CommandEnvelope } from '../../platform/commands/command-envelope.types';
import { CommandExecutor } from '../../platform/commands/command-executor.service';
import { ApiKeyCreatedNode, ApiKeyNode } from '../api-key.graphql';
import { CreateApiKey, RevokeApiKey } from '../domain/api-key.commands';
import { apiKeyDecider } from '../domain/api-key.decider';
import { API_KEYS_STREAM } from '../domain/api-key.streams';

export class ExecuteCreateApiKey extends Command<ApiKeyCreatedNode> {
  constructor(
    readonly command: CreateApiKey,
    readonly envelope: CommandEnvelope,
  ) {
    super();
  }
}

export class ExecuteRevokeApiKey extends Command<ApiKeyNode> {
  constructor(
    readonly command: RevokeApiKey,
    readonly envelope: CommandEnvelope,
  ) {
    super();
  }
}

/**
 * Records the key's creation on the `apikeys` stream (name, role, expiry; the actor is the caller), then
 * hands the platform the hash of a fresh secret. In that order, only the one creator of a name ever writes
 * its hash; the secret itself is answered once and kept nowhere.
 */
@CommandHandler(ExecuteCreateApiKey)
export class CreateApiKeyHandler implements ICommandHandler<ExecuteCreateApiKey, ApiKeyCreatedNode> {
  constructor(
    private readonly executor: CommandExecutor,
    private readonly keys: ApiKeyService,
  ) {}

  async execute({ command, envelope }: ExecuteCreateApiKey): Promise<ApiKeyCreatedNode> {
    const { name, role } = command.data;
    const context = {
      environmentNames: this.keys.environmentKeys().map((k) => k.name),
      // A first-start key the stream does not hold (API_KEYS set since) keeps its name.
      otherNames: (await this.keys.hasStoredHash(name)) ? [name] : [],
    };
    await this.executor.execute(apiKeyDecider, API_KEYS_STREAM, command, envelope, context);
    const secret = generateSecret();
    await this.keys.storeHash(name, role, hashSecret(secret));
    await this.keys.refresh();
    const { state } = await this.executor.load(apiKeyDecider, API_KEYS_STREAM);
    return { name, role, expiresAt: lookup(state.keys, name)?.expiresAt ?? null, secret };
  }
}

/** Records the revocation, then re-reads the keys at once: the key is refused here from the answer on. */
@CommandHandler(ExecuteRevokeApiKey)
export class RevokeApiKeyHandler implements ICommandHandler<ExecuteRevokeApiKey, ApiKeyNode> {
  constructor(
    private readonly executor: CommandExecutor,
    private readonly keys: ApiKeyService,
  ) {}

  async execute({ command, envelope }: ExecuteRevokeApiKey): Promise<ApiKeyNode> {
    const { name } = command.data;
    const context = { environmentNames: this.keys.environmentKeys().map((k) => k.name) };
    await this.executor.execute(apiKeyDecider, API_KEYS_STREAM, command, envelope, context);
    await this.keys.refresh();
    const [{ state }, lastUsed] = await Promise.all([this.executor.load(apiKeyDecider, API_KEYS_STREAM), this.keys.lastUsed()]);
    const key = lookup(state.keys, name);
    if (!key) throw new Error(`API key ${name} vanished after its revocation`);
    return { name, role: key.role, source: 'STORED', createdAt: key.createdAt, expiresAt: key.expiresAt, lastUsedAt: lastUsed.get(name) ?? null, revokedAt: key.revokedAt };
  }
}
