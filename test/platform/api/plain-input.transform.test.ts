import 'reflect-metadata';
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import * as classTransformer from 'class-transformer';
import { Expose, Transform, Type } from 'class-transformer';
import { LeaseSiteInput } from '../../../src/inventory/write/lease.input';
import { AddPowerFeedInput } from '../../../src/inventory/write/rack.input';
import { ConnectCarrierInput } from '../../../src/inventory/write/carrier.input';
import { InstallDeviceInput } from '../../../src/inventory/write/device.input';
import { MoneyInput } from '../../../src/platform/api/money.graphql';
import { ApiError } from '../../../src/platform/api/errors/api-error.types';
import { plainToInput } from '../../../src/platform/api/validation/plain-input.transform';
import { inputValidationPipe } from '../../../src/platform/api/validation/validation.pipe';

const money = { amount: '450.00', currency: 'EUR' };
const carrier = { popId: 'p1', circuitId: 'c1', carrier: 'Cogent', type: 'TRANSIT', bandwidthMbps: 1_000, monthlyCost: money };
const feed = { popId: 'p1', feedId: 'f1', rackId: 'r1', side: 'A', phase: 'SINGLE', voltage: 230, amperage: 16 };
const device = { popId: 'p1', deviceId: 'd1', rackId: 'r1', role: 'SWITCH', positionU: 1, heightU: 1, powerDrawWatts: 50 };
const lease = { popId: 'p1', leaseId: 'l1', startsOn: '2026-02-01', monthlyCost: money, oneOffCost: { amount: '1', currency: 'USD', extra: true }, maxRacks: 6 };

/** Counts the calls of class-transformer's plainToInstance (the fallback) while a test runs. */
let fallbacks = 0;
const original = classTransformer.plainToInstance;
beforeEach(() => {
  fallbacks = 0;
  (classTransformer as { plainToInstance: unknown }).plainToInstance = (...args: Parameters<typeof original>) => {
    fallbacks++;
    return original(...args);
  };
});
afterEach(() => {
  (classTransformer as { plainToInstance: unknown }).plainToInstance = original;
});

/** plainToInput builds exactly what plainToInstance builds (prototypes of nested objects included). */
function same<T extends object>(cls: new () => T, plain: Record<string, unknown>): T {
  const built = plainToInput(cls, plain);
  assert.deepStrictEqual(built, original(cls, plain));
  return built;
}

describe('plainToInput', () => {
  it('builds JSON records of the procurement kinds like plainToInstance, without it', () => {
    same(ConnectCarrierInput, carrier);
    const built = same(AddPowerFeedInput, feed);
    assert.equal(built.deratingPercent, 80, 'the class defaults stay');
    same(InstallDeviceInput, { ...device, colour: 'blue', name: null });
    assert.ok(same(LeaseSiteInput, lease).oneOffCost instanceof MoneyInput, 'a @Type property becomes its class');
    assert.equal(fallbacks, 0);
  });

  it('copies what plainToInstance copies of odd keys and values (undefined over a default, a primitive where an object is typed)', () => {
    same(AddPowerFeedInput, { ...feed, deratingPercent: undefined, monthlyCost: 'cheap', oneOffCost: null });
    same(InstallDeviceInput, JSON.parse('{"deviceId":"d1","__proto__":{"x":1},"constructor":{"y":2},"toString":"s","hasOwnProperty":1}') as Record<string, unknown>);
    assert.equal(fallbacks, 0);
  });

  it('leaves arrays, untyped objects, non-plain objects and nested oddities to plainToInstance', () => {
    same(InstallDeviceInput, { ...device, rackId: ['r1', { a: 1 }] });
    same(InstallDeviceInput, { ...device, name: { first: 'x' } });
    same(InstallDeviceInput, { ...device, purchaseCost: new Date(0) });
    same(ConnectCarrierInput, { ...carrier, monthlyCost: { amount: ['1'], currency: 'EUR' } });
    assert.equal(fallbacks, 4);
  });

  it('leaves classes with @Expose, @Transform or a converting @Type to plainToInstance', () => {
    class Exposed {
      @Expose({ name: 'first_name' }) firstName: string;
    }
    class Transformed {
      @Transform(({ value }) => String(value).toUpperCase()) code: string;
    }
    class Converted {
      @Type(() => Number) count: number;
      @Type(() => Date) at: Date;
    }
    assert.equal(same(Exposed, { first_name: 'Ada' }).firstName, 'Ada');
    assert.equal(same(Transformed, { code: 'fra' }).code, 'FRA');
    assert.deepEqual(same(Converted, { count: '3', at: '2026-01-01T00:00:00Z' }), Object.assign(new Converted(), { count: 3, at: new Date('2026-01-01T00:00:00Z') }));
    assert.equal(fallbacks, 3);
  });
});

describe('the input validation pipe', () => {
  const validate = (value: unknown) => inputValidationPipe.transform(value, { type: 'body', metatype: InstallDeviceInput, data: 'input' });

  it('builds a GraphQL input of plain JSON with plainToInput, not class-transformer', async () => {
    const purchaseCost = { ...money };
    const built = await validate({ ...device, purchaseCost });
    assert.deepStrictEqual(built, original(InstallDeviceInput, { ...device, purchaseCost }));
    assert.equal(fallbacks, 0);
  });

  it('refuses what class-validator refuses, with the same fields (unknown properties, nested ones too)', async () => {
    await assert.rejects(validate({ ...device, positionU: 0, colour: 'blue', purchaseCost: { ...money, extra: 1 } }), (error: unknown) => {
      assert.ok(error instanceof ApiError && error.code === 'BAD_USER_INPUT', String(error));
      const fields = (error.extensions.fields as Array<{ field: string }>).map((f) => f.field).sort();
      assert.deepEqual(fields, ['colour', 'positionU', 'purchaseCost.extra']);
      return true;
    });
    assert.equal(fallbacks, 0);
  });

  it('leaves an array where an object is expected to class-transformer, and refuses it', async () => {
    await assert.rejects(validate([device]), ApiError);
    assert.equal(fallbacks, 1);
  });
});
