import { DomainCommand } from '../../kernel/decider.types';
import { ApiKeyRole } from './api-key.enums';

/** Commands on the `apikeys` stream. The secret is never part of them: only the handler sees it. */

export interface CreateApiKeyData {
  name: string;
  role: ApiKeyRole;
  /** ISO 8601 instant after which the key is refused; null or absent: never expires. */
  expiresAt?: string | null;
}

export interface RevokeApiKeyData {
  name: string;
}

export type CreateApiKey = DomainCommand<'CreateApiKey', CreateApiKeyData>;
export type RevokeApiKey = DomainCommand<'RevokeApiKey', RevokeApiKeyData>;

export type ApiKeyCommand = CreateApiKey | RevokeApiKey;

/** What a decision needs from outside the stream. */
export interface ApiKeyContext {
  /** Names of the keys in API_KEYS: not to be created again, and not revocable through the API. */
  environmentNames: readonly string[];
  /** Other names already taken outside the stream (a first-start key this stream does not hold yet). */
  otherNames?: readonly string[];
}
