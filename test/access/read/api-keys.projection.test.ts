import { describe, it } from 'node:test';
import { ApiKeyEvent } from '../../../src/access/domain/api-key.events';
import { API_KEYS_STREAM } from '../../../src/access/domain/api-key.streams';
import { apiKeysProjection } from '../../../src/access/read/api-keys.projection';
import { GivenEvent, projectionSpec } from '../../support/projection-spec';
import { testDatabases } from '../../support/test-databases';

const onStream = (...events: ApiKeyEvent[]): GivenEvent[] => events.map((event) => ({ ...event, streamId: API_KEYS_STREAM }));
const KEYS = `SELECT name, role, created_by, revoked_by,
  to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI') AS created_at,
  to_char(expires_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI') AS expires_at,
  to_char(revoked_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI') AS revoked_at
  FROM rm_api_key ORDER BY name`;

for (const database of testDatabases()) {
  describe(`api-keys projection (${database.name})`, () => {
    const spec = projectionSpec(apiKeysProjection, database);

    it('keeps one row per key with its role, expiry, creation and revocation and who did them', () =>
      spec
        .given(onStream(
          { type: 'ApiKeyCreated', data: { name: 'ci-bot', role: 'planner', expiresAt: '2027-06-01T00:00:00.000Z' }, effectiveAt: '2027-03-01T10:00:00.000Z' },
          { type: 'ApiKeyCreated', data: { name: 'erp', role: 'procurement', expiresAt: null }, effectiveAt: '2027-03-01T11:00:00.000Z' },
          { type: 'ApiKeyRevoked', data: { name: 'ci-bot' }, effectiveAt: '2027-03-02T09:30:00.000Z' },
        ))
        .then(KEYS, [
          { name: 'ci-bot', role: 'planner', created_by: 'spec', revoked_by: 'spec', created_at: '2027-03-01T10:00', expires_at: '2027-06-01T00:00', revoked_at: '2027-03-02T09:30' },
          { name: 'erp', role: 'procurement', created_by: 'spec', revoked_by: null, created_at: '2027-03-01T11:00', expires_at: null, revoked_at: null },
        ]));
  });
}
