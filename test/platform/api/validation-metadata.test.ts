import assert from 'node:assert/strict';
import { test } from 'node:test';
import { getFromContainer, getMetadataStorage, IsString, MinLength, Validate, validateSync, ValidatorConstraint, ValidatorConstraintInterface } from 'class-validator';
// The pipe's module puts the memo in place when it is loaded, as in the service.
import '../../../src/platform/api/validation/validation.pipe';

const messages = (object: object, groups?: string[]) => validateSync(object, { groups }).flatMap((e) => Object.values(e.constraints ?? {}));

test("a class's rules are looked up once, not rebuilt from every registered class on each validation", () => {
  class Probe {
    @IsString()
    name = 'x';
  }
  const storage = getMetadataStorage();
  assert.deepEqual(messages(new Probe()), []);
  const first = storage.getTargetValidationMetadatas(Probe, '', false, false);
  assert.equal(storage.getTargetValidationMetadatas(Probe, '', false, false), first);
  assert.equal(storage.groupByPropertyName(first), storage.groupByPropertyName(first));
});

test('a rule registered after a validation applies to the class and to its subclasses from then on', () => {
  class Parent {
    @IsString()
    name = 'ab';
  }
  class Child extends Parent {}
  assert.deepEqual(messages(new Parent()), []);
  assert.deepEqual(messages(new Child()), []);
  MinLength(3)(Parent.prototype, 'name');
  assert.deepEqual(messages(new Parent()), ['name must be longer than or equal to 3 characters']);
  assert.deepEqual(messages(new Child()), ['name must be longer than or equal to 3 characters']);
});

test('the rules of a class are kept apart per group', () => {
  class Grouped {
    @MinLength(3, { groups: ['strict'] })
    @IsString({ always: true })
    name = 'ab';
  }
  assert.deepEqual(messages(new Grouped(), ['loose']), []);
  assert.deepEqual(messages(new Grouped(), ['strict']), ['name must be longer than or equal to 3 characters']);
  assert.deepEqual(messages(new Grouped(), ['loose']), []);
});

test("a custom rule's validator is made once, on first use, and kept for every validation", () => {
  let made = 0;
  @ValidatorConstraint({ name: 'even' })
  class Even implements ValidatorConstraintInterface {
    constructor() {
      made++;
    }
    validate(value: unknown) {
      return typeof value === 'number' && value % 2 === 0;
    }
    defaultMessage() {
      return 'count must be even';
    }
  }
  class Counted {
    @Validate(Even)
    count: number;
  }
  assert.equal(made, 0);
  const counted = (count: number) => Object.assign(new Counted(), { count });
  assert.deepEqual(messages(counted(3)), ['count must be even']);
  assert.deepEqual(messages(counted(4)), []);
  assert.equal(made, 1);
  assert.equal(getFromContainer(Even), getFromContainer(Even));
  assert.equal(made, 1);
});
