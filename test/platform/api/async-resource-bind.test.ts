import assert from 'node:assert/strict';
import { AsyncLocalStorage, AsyncResource, executionAsyncId, triggerAsyncId } from 'node:async_hooks';
import { before, describe, it } from 'node:test';
import { useBindWithoutDeprecatedAccessor } from '../../../src/platform/api/http/async-resource-bind.util';

describe('AsyncResource#bind without the deprecated accessor', () => {
  before(() => useBindWithoutDeprecatedAccessor());

  it('gives the bound function no `asyncResource` property (whose deprecate() wrappers kept the resource from young collections)', () => {
    const bound = new AsyncResource('test').bind(() => 1);
    assert.equal(Object.getOwnPropertyDescriptor(bound, 'asyncResource'), undefined);
    assert.equal(Object.getOwnPropertyDescriptor(AsyncResource.bind(() => 1), 'asyncResource'), undefined);
  });

  it("runs the function in the resource's async scope, with the caller's `this`, the arguments and the result", () => {
    const storage = new AsyncLocalStorage<string>();
    const resource = storage.run('at creation', () => new AsyncResource('test'));
    const bound = resource.bind(function (this: unknown, a: number, b: number) {
      return { self: this, sum: a + b, id: executionAsyncId(), trigger: triggerAsyncId(), stored: storage.getStore() };
    });
    const result = storage.run('at the call', () => bound.call('caller', 2, 3));
    assert.deepEqual(result, { self: 'caller', sum: 5, id: resource.asyncId(), trigger: resource.triggerAsyncId(), stored: 'at creation' });
    assert.equal(bound.length, 2);
  });

  it('binds `this` when given, as Function#bind does, and refuses what is not a function', () => {
    const resource = new AsyncResource('test');
    // Node's bind takes a `thisArg` that @types/node leaves out.
    const bind = resource.bind.bind(resource) as (fn: (this: unknown) => unknown, thisArg: unknown) => () => unknown;
    const bound = bind(function (this: unknown) {
      return this;
    }, 'given');
    assert.equal(bound.call('ignored'), 'given');
    assert.throws(() => resource.bind(42 as never), TypeError);
  });
});
