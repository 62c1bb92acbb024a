import { Injectable } from '@nestjs/common';
import { lookup } from '../../kernel/id-index.util';
import { ApiKeyDirectory, PlatformStoredKey, StoredKeyStatus } from '../../platform/api/auth/api-key-directory.port';
import { CommandItem } from '../../platform/commands/command-executor.service';
import { CommandExecutor } from '../../platform/commands/command-executor.service';
import { RuleViolationError } from '../../kernel/domain.errors';
import { ApiKeyCommand } from '../domain/api-key.commands';
import { apiKeyDecider } from '../domain/api-key.decider';
import { API_KEYS_STREAM } from '../domain/api-key.streams';

/** The service itself, as the actor of the events it records on its own. */
const SYSTEM = { name: 'system', role: 'admin' } as const;

/**
 * The platform's ApiKeyDirectory (bound by the composition root): the stored keys as the `apikeys`
 * stream says, read from the event store itself (the executor reads only the events after those it
 * has), so a revocation counts without waiting for any projection.
 */
@Injectable()
export class ApiKeyDirectoryService implements ApiKeyDirectory {
  constructor(private readonly executor: CommandExecutor) {}

  async keys(): Promise<readonly StoredKeyStatus[]> {
    const { state } = await this.executor.load(apiKeyDecider, API_KEYS_STREAM);
    return Object.values(state.keys).map(({ name, role, expiresAt, revokedAt }) => ({ name, role, expiresAt, revokedAt }));
  }

  /** Creation events for keys the platform stored by itself, effective when it created them; actor `system`. */
  async adopt(keys: readonly PlatformStoredKey[]): Promise<void> {
    const { state } = await this.executor.load(apiKeyDecider, API_KEYS_STREAM);
    const items: CommandItem<ApiKeyCommand>[] = keys
      .filter((key) => !lookup(state.keys, key.name))
      .map((key) => ({
        command: { type: 'CreateApiKey', data: { name: key.name, role: key.role, expiresAt: null }, effectiveAt: key.createdAt },
        envelope: { principal: SYSTEM, source: 'system' },
      }));
    if (items.length === 0) return;
    const outcomes = await this.executor.executeAll(apiKeyDecider, API_KEYS_STREAM, items, { environmentNames: [] });
    for (const outcome of outcomes) {
      // Another instance starting at the same time took it over first.
      if ('error' in outcome && !(outcome.error instanceof RuleViolationError && outcome.error.rule === 'DUPLICATE_ID')) throw outcome.error;
    }
  }
}
