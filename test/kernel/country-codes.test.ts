import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { isAssignedCountryCode } from '../../src/kernel/country-codes.util';

describe('isAssignedCountryCode', () => {
  it('accepts assigned ISO 3166-1 alpha-2 codes', () => {
    for (const code of ['DE', 'GR', 'GB', 'US', 'BR', 'AX', 'SS', 'CW']) {
      assert.equal(isAssignedCountryCode(code), true, code);
    }
  });

  it('rejects user-assigned, reserved, unknown and non-ISO codes', () => {
    for (const code of ['XK', 'AN', 'ZZ', 'EL', 'UK', 'EU', 'XX', '']) {
      assert.equal(isAssignedCountryCode(code), false, code);
    }
  });

  it('rejects lower case, alpha-3 and numeric forms the library would accept', () => {
    for (const code of ['de', 'De', 'DEU', '276', ' DE']) assert.equal(isAssignedCountryCode(code), false, code);
  });
});
