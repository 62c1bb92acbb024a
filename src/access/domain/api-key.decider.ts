import { Decider } from '../../kernel/decider.types';
import { ApiKeyCommand, ApiKeyContext } from './api-key.commands';
import { decideApiKeys } from './api-key.decide';
import { ApiKeyEvent } from './api-key.events';
import { ApiKeysState, evolveApiKeys, initialApiKeysState } from './api-key.state';

/** The stored API keys (stream `apikeys`). */
export const apiKeyDecider: Decider<ApiKeyCommand, ApiKeysState, ApiKeyEvent, ApiKeyContext> = {
  decide: decideApiKeys,
  evolve: evolveApiKeys,
  initialState: initialApiKeysState,
};
