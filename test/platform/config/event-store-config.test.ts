import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError, loadConfig } from '../../../src/platform/config/app.config';

describe('configuration of the EventStoreDB/KurrentDB store', () => {
  for (const scheme of ['esdb', 'esdb+discover', 'kurrentdb', 'kurrentdb+discover', 'kurrent', 'kurrent+discover', 'kdb', 'kdb+discover']) {
    it(`accepts a ${scheme}:// connection string`, () => {
      const config = loadConfig({ EVENT_STORE: 'esdb', EVENTSTORE_CONNECTION_STRING: `${scheme}://localhost:2113?tls=false` });
      assert.equal(config.EVENTSTORE_CONNECTION_STRING, `${scheme}://localhost:2113?tls=false`);
    });
  }

  for (const value of ['http://localhost:2113', 'tcp://localhost:1113', 'esdb:/localhost', 'KurrentDB://localhost:2113', 'esdb://']) {
    it(`refuses ${value} with one line naming EVENTSTORE_CONNECTION_STRING`, () => {
      assert.throws(
        () => loadConfig({ EVENT_STORE: 'esdb', EVENTSTORE_CONNECTION_STRING: value }),
        (error: unknown) =>
          error instanceof ConfigError && /^Invalid configuration: EVENTSTORE_CONNECTION_STRING /.test(error.message) && !error.message.includes('\n'),
      );
    });
  }

  it('EVENTSTORE_MAX_APPEND_BYTES defaults to the server default, 1 MiB', () => {
    assert.equal(loadConfig({}).EVENTSTORE_MAX_APPEND_BYTES, 1_048_576);
    assert.equal(loadConfig({ EVENTSTORE_MAX_APPEND_BYTES: '4194304' }).EVENTSTORE_MAX_APPEND_BYTES, 4_194_304);
  });

  for (const value of ['0', '-1', '1.5', 'lots', '16777217']) {
    it(`refuses EVENTSTORE_MAX_APPEND_BYTES=${value} with one line`, () => {
      assert.throws(
        () => loadConfig({ EVENTSTORE_MAX_APPEND_BYTES: value }),
        (error: unknown) => error instanceof ConfigError && /^Invalid configuration: EVENTSTORE_MAX_APPEND_BYTES /.test(error.message) && !error.message.includes('\n'),
      );
    });
  }
});
