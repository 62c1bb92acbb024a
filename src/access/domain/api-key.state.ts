import { IdIndex, lookup, store } from '../../kernel/id-index.util';
import { ApiKeyRole } from './api-key.enums';
import { ApiKeyEvent } from './api-key.events';

export interface StoredApiKey {
  name: string;
  role: ApiKeyRole;
  createdAt: string;
  expiresAt: string | null;
  revokedAt: string | null;
}

/** Every key ever stored, revoked ones included: a name is used once. */
export interface ApiKeysState {
  keys: IdIndex<StoredApiKey>;
}

export function initialApiKeysState(): ApiKeysState {
  return { keys: {} };
}

/** Updates `state` in place (see Decider) and returns it. */
export function evolveApiKeys(state: ApiKeysState, event: ApiKeyEvent): ApiKeysState {
  switch (event.type) {
    case 'ApiKeyCreated': {
      const { name, role, expiresAt } = event.data;
      store(state.keys, name, { name, role, createdAt: event.effectiveAt, expiresAt, revokedAt: null });
      return state;
    }
    case 'ApiKeyRevoked': {
      const key = lookup(state.keys, event.data.name);
      if (key) key.revokedAt = event.effectiveAt;
      return state;
    }
  }
}
