import { DomainEvent } from '../../kernel/decider.types';
import { RevokeApiKeyData } from './api-key.commands';
import { ApiKeyRole } from './api-key.enums';

/** Who created or revoked a key is the event's `actor`; the secret and its hash are never in an event. */
export interface ApiKeyCreatedData {
  name: string;
  role: ApiKeyRole;
  expiresAt: string | null;
}

export type ApiKeyCreated = DomainEvent<'ApiKeyCreated', ApiKeyCreatedData>;
export type ApiKeyRevoked = DomainEvent<'ApiKeyRevoked', RevokeApiKeyData>;

export type ApiKeyEvent = ApiKeyCreated | ApiKeyRevoked;
