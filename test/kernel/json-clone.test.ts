import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cloneJson } from '../../src/kernel/json-clone.util';
import { lookup, store } from '../../src/kernel/id-index.util';

describe('cloneJson', () => {
  it('copies a plain JSON value deeply: changing the copy leaves the original alone', () => {
    const original = { a: 1, b: 'x', c: null, d: [1, [2, 3], { e: true }], f: { g: { h: [4] } } };
    const copy = cloneJson(original);
    assert.deepEqual(copy, original);
    copy.d.push(9);
    (copy.d[1] as number[]).push(9);
    copy.f.g.h[0] = 0;
    assert.deepEqual(original, { a: 1, b: 'x', c: null, d: [1, [2, 3], { e: true }], f: { g: { h: [4] } } });
  });

  it('keeps ids such as "__proto__" as own data, never as a prototype', () => {
    const index = {};
    store(index, '__proto__', { id: 'p' });
    store(index, 'constructor', { id: 'c' });
    const copy = cloneJson(index);
    assert.equal(Object.getPrototypeOf(copy), Object.prototype);
    assert.deepEqual(lookup(copy, '__proto__'), { id: 'p' });
    assert.notEqual(lookup(copy, '__proto__'), lookup(index, '__proto__'));
    assert.deepEqual(Object.keys(copy), ['__proto__', 'constructor']);
    assert.equal(JSON.stringify(copy), JSON.stringify(index));
  });

  it('copies primitives as they are', () => {
    assert.equal(cloneJson(5), 5);
    assert.equal(cloneJson(null), null);
    assert.equal(cloneJson('s'), 's');
  });
});
