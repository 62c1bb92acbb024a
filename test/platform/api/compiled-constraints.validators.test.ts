import 'reflect-metadata';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { plainToInstance } from 'class-transformer';
import type { MetadataStorage } from 'class-transformer/types/MetadataStorage';
import * as classValidator from 'class-validator';
import { getMetadataStorage, IsDefined, IsInt, IsString, validate, validateSync, ValidatorOptions } from 'class-validator';
// Every feature's input classes, as the service loads them.
import '../../../src/app/app.module';
import { passesCompiledConstraints, validateInput, validateInputSync } from '../../../src/platform/api/validation/compiled-constraints.validators';
import { inputValidationPipe } from '../../../src/platform/api/validation/validation.pipe';
import { ApiError } from '../../../src/platform/api/errors/api-error.types';
import { InstallDeviceInput } from '../../../src/inventory/write/device.input';
import { LeaseSiteInput } from '../../../src/inventory/write/lease.input';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { defaultMetadataStorage } = require('class-transformer/cjs/storage') as { defaultMetadataStorage: MetadataStorage };

type Constructor = new () => object;
type Metadata = ReturnType<ReturnType<typeof getMetadataStorage>['getTargetValidationMetadatas']>[number];

/** The procurement record check's options, and the pipe's (Nest adds forbidUnknownValues: false and the error shape). */
const OPTIONS: ValidatorOptions[] = [
  { whitelist: true, forbidNonWhitelisted: true },
  { forbidUnknownValues: false, whitelist: true, forbidNonWhitelisted: true, stopAtFirstError: false, validationError: { target: false } },
];

const storage = getMetadataStorage();
const metadataOf = (cls: Constructor): Metadata[] => storage.getTargetValidationMetadatas(cls, undefined as unknown as string, false, false, undefined);

/** Every class with class-validator rules: the app's inputs (GraphQL inputs and args, REST queries, records) and its config. */
const decorated: Constructor[] = [...(storage as unknown as { validationMetadatas: Map<unknown, unknown> }).validationMetadatas.keys()].filter(
  (target): target is Constructor => typeof target === 'function',
);

/** A small seeded generator, so a failure can be replayed. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1_664_525 + 1_013_904_223) >>> 0;
    return state / 2 ** 32;
  };
}

const POOL: unknown[] = [
  undefined, null, '', 'x', 'p1', 'pop-1', 'proc:1.a_b', 'a b', 'A'.repeat(64), 'A'.repeat(65), 'DE', 'XK', 'de', 'EUR', 'USD', 'ZZZ',
  '0', '1', '1250.50', '1.0842', '0.00001', '-1', '12345678901234567', '2026-01-31T09:00:00Z', '2027-03-01T09:00:00+01:00', '2027-03-01',
  '2027-02-30T09:00:00Z', 'https://example.com/hook', 'http://127.0.0.1/x', 'ftp://x', 'key-name', 'ACTIVE', 'UTC', '\u00e9', 0, 1, 2, 6, 16,
  42, 230, 1_000, -1, 1.5, 1e12, Number.NaN, true, false, [], ['a'], {},
];

/** Values worth trying for one property: the pool, and the constraints' own bounds and lists. */
function candidates(rules: Metadata[]): unknown[] {
  const values = [...POOL];
  for (const rule of rules) {
    const constraints = (rule.constraints ?? []) as unknown[];
    if (rule.name === 'isIn' && Array.isArray(constraints[0])) values.push(...(constraints[0] as unknown[]), constraints[0]);
    for (const bound of constraints) if (typeof bound === 'number' && Number.isFinite(bound)) values.push(bound, bound - 1, bound + 1, bound + 0.5);
    if (rule.name === 'isLength' || rule.name === 'minLength' || rule.name === 'maxLength') {
      for (const length of constraints) if (typeof length === 'number' && length < 300) values.push('a'.repeat(length), 'a'.repeat(length + 1));
    }
  }
  return values;
}

interface PropertyValues {
  name: string;
  all: unknown[];
  /** The candidates class-validator finds nothing wrong with when the property alone is set. */
  fitting: unknown[];
  /** The property's @Type class, whose objects are generated too. */
  nested: Constructor | undefined;
}

const propertyValues = new Map<Constructor, PropertyValues[]>();

function valuesOf(cls: Constructor): PropertyValues[] {
  let properties = propertyValues.get(cls);
  if (!properties) {
    properties = Object.entries(storage.groupByPropertyName(metadataOf(cls))).map(([name, rules]) => {
      const all = candidates(rules);
      const nested = defaultMetadataStorage.findTypeMetadata(cls, name)?.typeFunction?.() as Constructor | undefined;
      return { name, all, fitting: all.filter((value) => fits(cls, name, value)), nested };
    });
    propertyValues.set(cls, properties);
  }
  return properties;
}

/** A plain object for `cls`: mostly values each property's own rules accept, sometimes anything from its candidates. */
function plainOf(cls: Constructor, next: () => number, depth = 0): Record<string, unknown> {
  const plain: Record<string, unknown> = {};
  const pick = <T>(from: T[]): T => from[Math.floor(next() * from.length)];
  const properties = valuesOf(cls);
  // An input of many optional nested fields (a scenario step: one of 20) is valid with about one of them set.
  const optionalNested = properties.filter((p) => p.nested && p.fitting.includes(undefined)).length;
  for (const property of properties) {
    let value: unknown;
    const setChance = property.nested && property.fitting.includes(undefined) ? Math.min(0.9, 1.5 / optionalNested) : 0.9;
    if (property.nested && depth < 3 && next() < setChance) {
      const one = () => plainOf(property.nested as Constructor, next, depth + 1);
      value = pick([() => one(), () => [one()], () => [one(), one()], () => [], () => [1], () => null, () => undefined])();
    } else {
      value = pick(property.fitting.length > 0 && next() < 0.93 ? property.fitting : property.all);
    }
    if (value !== undefined) plain[property.name] = value;
  }
  if (next() < 0.03) plain.unexpected = 1;
  return plain;
}

/** Whether class-validator reports nothing about `property` when it alone is set. */
function fits(cls: Constructor, property: string, value: unknown): boolean {
  const instance = plainToInstance(cls, { [property]: value }) as object;
  return !validateSync(instance, OPTIONS[0]).some((error) => error.property === property);
}

describe('the compiled constraints', () => {
  it('agree with class-validator on accept and reject, with its error answers, for every decorated class of the app', async () => {
    assert.ok(decorated.length >= 40, `found ${decorated.length} decorated classes`);
    const next = random(17);
    const unsatisfied: string[] = [];
    for (const cls of decorated) {
      let accepted = 0;
      let rejected = 0;
      for (let sample = 0; sample < 60; sample++) {
        const plain = plainOf(cls, next);
        for (const options of OPTIONS) {
          const instance = plainToInstance(cls, plain) as object;
          const expected = validateSync(instance, options);
          const fast = passesCompiledConstraints(instance, options);
          assert.equal(fast, expected.length === 0, `${cls.name} ${JSON.stringify(plain)}: class-validator says ${JSON.stringify(expected)}`);
          assert.deepEqual(validateInputSync(instance, options), expected);
          assert.deepEqual(await validateInput(instance, options), await validate(instance, options));
          if (fast) accepted++;
          else rejected++;
        }
      }
      assert.ok(rejected > 0, `${cls.name}: no rejected value generated`);
      if (accepted === 0) unsatisfied.push(cls.name);
    }
    // Inputs whose values the pool cannot satisfy together (none today) would be checked on rejections only.
    assert.deepEqual(unsatisfied, []);
  });

  it('accepts a valid input without running class-validator, and leaves a bad one to it', () => {
    const executions = countExecutions(() => {
      const device = plainToInstance(InstallDeviceInput, { popId: 'p1', deviceId: 'd1', rackId: 'r1', role: 'SWITCH', positionU: 1, heightU: 1, powerDrawWatts: 50 });
      assert.deepEqual(validateInputSync(device, OPTIONS[0]), []);
      const lease = plainToInstance(LeaseSiteInput, { popId: 'p1', leaseId: 'l1', startsOn: '2026-02-01', monthlyCost: { amount: '450.00', currency: 'EUR' } });
      assert.deepEqual(validateInputSync(lease, OPTIONS[0]), []);
    });
    assert.equal(executions, 0);
    const bad = plainToInstance(LeaseSiteInput, { popId: 'p1', leaseId: 'l1', startsOn: '2026-02-01', monthlyCost: { amount: '-1', currency: 'EUR', x: 1 } });
    const errors = countExecutions(() => assert.equal(validateInputSync(bad, OPTIONS[0])[0].children?.length, 2));
    assert.ok(errors > 0);
  });

  it('leaves constraint kinds it does not compile, and options that change the checks, to class-validator', () => {
    class Defined {
      @IsDefined()
      @IsString()
      name = 'x';
    }
    class Plain {
      @IsInt()
      size = 1;
    }
    assert.equal(passesCompiledConstraints(new Defined(), {}), false);
    assert.deepEqual(validateInputSync(new Defined(), {}), []);
    assert.equal(passesCompiledConstraints(new Plain(), { skipMissingProperties: true }), false);
    assert.equal(passesCompiledConstraints(Object.assign(new Plain(), { extra: 1 }), { whitelist: true }), false, 'whitelist without forbidNonWhitelisted strips');
    assert.equal(passesCompiledConstraints(new Plain(), { groups: ['g'] }), false);
    assert.equal(passesCompiledConstraints(new Plain(), {}), true);
  });

  it('sees a rule registered after a class was first checked', () => {
    class Late {
      @IsString()
      name = 'abc';
    }
    assert.equal(passesCompiledConstraints(new Late(), {}), true);
    classValidator.MinLength(5)(Late.prototype, 'name');
    assert.equal(passesCompiledConstraints(new Late(), {}), false);
    assert.deepEqual(validateInputSync(new Late(), {}).flatMap((e) => Object.values(e.constraints ?? {})), ['name must be longer than or equal to 5 characters']);
  });

  it("answers a bad input through the pipe with class-validator's fields", async () => {
    const metadata = { type: 'body' as const, metatype: InstallDeviceInput, data: '' };
    const plain = { popId: 'p 1', deviceId: 'd1', rackId: 'r1', role: 'SWITCH', positionU: 0, heightU: 1, powerDrawWatts: 50, extra: true };
    const expected = validateSync(plainToInstance(InstallDeviceInput, plain), OPTIONS[1]);
    const error = await inputValidationPipe.transform(plain, metadata).then(
      () => assert.fail('accepted'),
      (thrown: unknown) => thrown as ApiError,
    );
    const fields = (error.extensions as { fields: { field: string; message: string }[] }).fields;
    assert.deepEqual(fields, expected.flatMap((e) => Object.values(e.constraints ?? {}).map((message) => ({ field: e.property, message }))));
    assert.ok(fields.length >= 3);
  });
});

/** Runs of class-validator's executor (a validation it did itself) during `fn`. */
function countExecutions(fn: () => void): number {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { ValidationExecutor } = require('class-validator/cjs/validation/ValidationExecutor') as { ValidationExecutor: { prototype: { execute: (...args: unknown[]) => void } } };
  const execute = ValidationExecutor.prototype.execute;
  let count = 0;
  ValidationExecutor.prototype.execute = function (this: unknown, ...args: unknown[]) {
    count++;
    return execute.apply(this, args);
  };
  try {
    fn();
  } finally {
    ValidationExecutor.prototype.execute = execute;
  }
  return count;
}
