import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ApiKeyCommand, ApiKeyContext } from '../../../src/access/domain/api-key.commands';
import { apiKeyDecider } from '../../../src/access/domain/api-key.decider';
import { ApiKeyEvent } from '../../../src/access/domain/api-key.events';
import { API_KEYS_STREAM } from '../../../src/access/domain/api-key.streams';
import { deciderSpec } from '../../support/decider-spec';

const T0 = '2027-03-01T00:00:00.000Z';
const T1 = '2027-03-02T00:00:00.000Z';
const context: ApiKeyContext = { environmentNames: ['ops', 'Team.Lead'] };
const spec = deciderSpec(apiKeyDecider, context);

const create = (data: Partial<Extract<ApiKeyCommand, { type: 'CreateApiKey' }>['data']> = {}, at = T0): ApiKeyCommand => ({
  type: 'CreateApiKey',
  data: { name: 'ci-bot', role: 'planner', ...data },
  effectiveAt: at,
});
const created = (expiresAt: string | null = null, name = 'ci-bot'): ApiKeyEvent => ({ type: 'ApiKeyCreated', data: { name, role: 'planner', expiresAt }, effectiveAt: T0 });
const revoke = (name = 'ci-bot', at = T1): ApiKeyCommand => ({ type: 'RevokeApiKey', data: { name }, effectiveAt: at });
const revoked = (name = 'ci-bot', at = T1): ApiKeyEvent => ({ type: 'ApiKeyRevoked', data: { name }, effectiveAt: at });

describe('API keys: the apikeys stream', () => {
  it('is one stream named apikeys', () => {
    assert.equal(API_KEYS_STREAM, 'apikeys');
  });
});

describe('CreateApiKey', () => {
  it('records name, role and expiry (none by default), never a secret', () => {
    spec.given([]).when(create()).then([created()]);
    spec.given([]).when(create({ expiresAt: '2027-04-01T00:00:00Z' })).then([created('2027-04-01T00:00:00.000Z')]);
    spec.given([]).when(create({ expiresAt: null })).then([created()]);
  });

  it('refuses a name in use: stored (revoked too), in API_KEYS, or held elsewhere (DUPLICATE_ID)', () => {
    spec.given([created()]).when(create()).thenThrows('DUPLICATE_ID', 'API key ci-bot already exists');
    spec.given([created(), revoked()]).when(create()).thenThrows('DUPLICATE_ID', /revoked at 2027-03-02T00:00:00.000Z; names are not reused/);
    spec.given([]).when(create({ name: 'ops' })).thenThrows('DUPLICATE_ID', 'API key ops is already configured in API_KEYS');
    deciderSpec(apiKeyDecider, { environmentNames: [], otherNames: ['admin'] }).given([]).when(create({ name: 'admin' })).thenThrows('DUPLICATE_ID');
  });

  it('refuses an expiry that is not after the creation, a bad name or role (BAD_USER_INPUT)', () => {
    spec.given([]).when(create({ expiresAt: T0 })).thenInvalidInput('expiresAt');
    spec.given([]).when(create({ expiresAt: '2027-02-01T00:00:00Z' })).thenInvalidInput('expiresAt');
    spec.given([]).when(create({ name: 'CI_Bot' })).thenInvalidInput('name');
    spec.given([]).when(create({ name: 'x'.repeat(65) })).thenInvalidInput('name');
    spec.given([]).when(create({ role: 'root' as never })).thenInvalidInput('role');
  });
});

describe('RevokeApiKey', () => {
  it('revokes a stored key, once', () => {
    spec.given([created()]).when(revoke()).then([revoked()]);
    spec.given([created(), revoked()]).when(revoke('ci-bot', '2027-03-03T00:00:00.000Z')).thenThrows('INVALID_TRANSITION', /already revoked/);
  });

  it('revokes an expired key too (the record says so)', () => {
    spec.given([created('2027-03-01T12:00:00.000Z')]).when(revoke()).then([revoked()]);
  });

  it('refuses a key from API_KEYS (KEY_FROM_ENVIRONMENT) and answers NOT_FOUND for an unknown one', () => {
    spec.given([]).when(revoke('ops')).thenThrows('KEY_FROM_ENVIRONMENT', /comes from API_KEYS/);
    spec.given([]).when(revoke('Team.Lead')).thenThrows('KEY_FROM_ENVIRONMENT');
    spec.given([created()]).when(revoke('nobody')).thenNotFound('API key nobody does not exist');
  });
});
