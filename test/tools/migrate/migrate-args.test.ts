import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { describe, test } from 'node:test';
import { MigrateUsageError, parseMigrateArgs } from '../../../src/tools/cli/migrate-args.util';
import { parseStoreLocation, sameLocation, StoreLocationError } from '../../../src/tools/migrate/store-location.factory';

describe('migrate-events: stores and arguments', () => {
  test('every scheme EVENTSTORE_CONNECTION_STRING takes is EventStoreDB; postgres URLs are servers; anything else a path is a data directory', () => {
    for (const scheme of ['esdb', 'esdb+discover', 'kurrentdb', 'kurrentdb+discover', 'kurrent', 'kurrent+discover', 'kdb', 'kdb+discover']) {
      assert.equal(parseStoreLocation(`${scheme}://node1:2113?tls=false`, '--to').kind, 'esdb', scheme);
    }
    assert.equal(parseStoreLocation('postgres://u@h/db', '--to').kind, 'postgres');
    assert.equal(parseStoreLocation('postgresql://u@h/db', '--to').kind, 'postgres');
    assert.deepEqual(parseStoreLocation('./data', '--from'), { kind: 'pglite', dir: resolve('data'), label: resolve('data') });
    assert.throws(() => parseStoreLocation('memory://', '--from'), StoreLocationError);
    assert.throws(() => parseStoreLocation('mysql://h/db', '--to'), /--to mysql:\/\/ is no store this tool knows/);
  });

  test('printed locations hide passwords', () => {
    assert.equal(parseStoreLocation('postgres://app:s3cret@db:5432/ledger', '--to').label, 'postgres://app:***@db:5432/ledger');
    assert.equal(parseStoreLocation('esdb://admin:changeit@es:2113?tls=true', '--to').label, 'esdb://admin:***@es:2113?tls=true');
  });

  test('the same store under two names is one store', () => {
    assert.equal(sameLocation(parseStoreLocation('kurrentdb://h:2113?tls=false', '--from'), parseStoreLocation('esdb://h:2113?tls=false', '--to')), true);
    assert.equal(sameLocation(parseStoreLocation('./data', '--from'), parseStoreLocation(resolve('data'), '--to')), true);
    assert.equal(sameLocation(parseStoreLocation('./data', '--from'), parseStoreLocation('postgres://h/db', '--to')), false);
  });

  test('arguments: both stores required, --name=value accepted, the maximum append size from the flag or EVENTSTORE_MAX_APPEND_BYTES', () => {
    const args = parseMigrateArgs(['--from=./a', '--to', 'esdb://h:2113', '--resume'], {});
    assert.deepEqual([args.from.kind, args.to.kind, args.resume, args.maxAppendBytes], ['pglite', 'esdb', true, 1_048_576]);
    assert.equal(parseMigrateArgs(['--from', './a', '--to', 'esdb://h:2113'], { EVENTSTORE_MAX_APPEND_BYTES: '2097152' }).maxAppendBytes, 2_097_152);
    assert.equal(parseMigrateArgs(['--from', './a', '--to', 'esdb://h:2113', '--max-append-bytes', '4096'], { EVENTSTORE_MAX_APPEND_BYTES: '2097152' }).maxAppendBytes, 4_096);
    assert.equal(parseMigrateArgs(['--help'], {}).help, true);
    for (const argv of [['--from', './a'], ['--to', './b'], ['--from', '--to', './b'], ['--from', './a', '--to', './b', 'extra'], ['--from', './a', '--to', './a']]) {
      assert.throws(() => parseMigrateArgs(argv, {}), MigrateUsageError, argv.join(' '));
    }
    assert.throws(() => parseMigrateArgs(['--from', './a', '--to', './b'], { EVENTSTORE_MAX_APPEND_BYTES: '17000000' }), /from 1 to 16777216, got "17000000"/);
  });
});
