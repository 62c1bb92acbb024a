import { InvalidInputError, NotFoundError, RuleViolationError } from '../../kernel/domain.errors';
import { lookup } from '../../kernel/id-index.util';
import { instantMs, isoOf } from '../../kernel/time.util';
import { ApiKeyCommand, ApiKeyContext, CreateApiKey, RevokeApiKey } from './api-key.commands';
import { API_KEY_ROLES } from './api-key.enums';
import { ApiKeyCreated, ApiKeyEvent, ApiKeyRevoked } from './api-key.events';
import { isApiKeyName } from './api-key.rules';
import { ApiKeysState } from './api-key.state';

/** Decides an `apikeys` command without mutating `state`. */
export function decideApiKeys(command: ApiKeyCommand, state: ApiKeysState, context: ApiKeyContext): ApiKeyEvent[] {
  switch (command.type) {
    case 'CreateApiKey':
      return [createApiKey(command, state, context)];
    case 'RevokeApiKey':
      return [revokeApiKey(command, state, context)];
    default: {
      const unhandled: never = command;
      throw new Error(`Unhandled API key command ${(unhandled as ApiKeyCommand).type}`);
    }
  }
}

/** A name is unique across API_KEYS and the stream, revoked keys included; an expiry lies in the future. */
function createApiKey(command: CreateApiKey, state: ApiKeysState, context: ApiKeyContext): ApiKeyCreated {
  const { name, role } = command.data;
  const at = instantMs(command.effectiveAt, 'effectiveAt');
  if (!isApiKeyName(name)) throw new InvalidInputError('name', 'name must be 1-64 characters of a-z 0-9 -');
  if (!(API_KEY_ROLES as readonly string[]).includes(role)) throw new InvalidInputError('role', `role must be one of ${API_KEY_ROLES.join(', ')}`);
  if (context.environmentNames.includes(name)) throw new RuleViolationError('DUPLICATE_ID', `API key ${name} is already configured in API_KEYS`);
  const existing = lookup(state.keys, name);
  if (existing) {
    const revoked = existing.revokedAt === null ? '' : ` (revoked at ${existing.revokedAt}; names are not reused)`;
    throw new RuleViolationError('DUPLICATE_ID', `API key ${name} already exists${revoked}`);
  }
  if (context.otherNames?.includes(name)) throw new RuleViolationError('DUPLICATE_ID', `API key ${name} already exists`);
  let expiresAt: string | null = null;
  if (command.data.expiresAt !== undefined && command.data.expiresAt !== null) {
    const expires = instantMs(command.data.expiresAt, 'expiresAt');
    if (expires <= at) throw new InvalidInputError('expiresAt', `expiresAt must be after the key's creation (${isoOf(at)})`);
    expiresAt = isoOf(expires);
  }
  return { type: 'ApiKeyCreated', data: { name, role, expiresAt }, effectiveAt: isoOf(at) };
}

/** Only stored keys can be revoked, once; a key from API_KEYS is changed there. */
function revokeApiKey(command: RevokeApiKey, state: ApiKeysState, context: ApiKeyContext): ApiKeyRevoked {
  const { name } = command.data;
  const at = instantMs(command.effectiveAt, 'effectiveAt');
  if (context.environmentNames.includes(name)) {
    throw new RuleViolationError('KEY_FROM_ENVIRONMENT', `API key ${name} comes from API_KEYS; remove it there and restart to revoke it`);
  }
  const key = lookup(state.keys, name);
  if (!key) throw new NotFoundError(`API key ${name} does not exist`);
  if (key.revokedAt !== null) throw new RuleViolationError('INVALID_TRANSITION', `API key ${name} is already revoked (at ${key.revokedAt})`);
  return { type: 'ApiKeyRevoked', data: { name }, effectiveAt: isoOf(Math.max(at, Date.parse(key.createdAt))) };
}
