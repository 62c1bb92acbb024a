import { getMetadataStorage, validate, ValidationArguments, ValidationError, ValidationTypes, validateSync, ValidatorOptions } from 'class-validator';
import { memoizeValidationMetadata } from './validation-metadata.util';

// The plans are kept per list of rules, which is one list per class only with the memo.
memoizeValidationMetadata();

type ValidationMetadata = ReturnType<ReturnType<typeof getMetadataStorage>['getTargetValidationMetadatas']>[number];
type ConstraintTest = (value: unknown, args: ValidationArguments) => unknown;

interface Rule {
  test: ConstraintTest;
  constraints: unknown[];
  each: boolean;
  validateIf: ((object: object, value: unknown) => boolean) | undefined;
}

interface PropertyPlan {
  name: string;
  conditions: ((object: object, value: unknown) => unknown)[];
  rules: Rule[];
  /** The schema class-validator validates a nested object with (the declaring class's name), or null. */
  nested: string | null;
}

/** A class's constraints as plain checks; null instead when one is of a kind not compiled here (left to class-validator). */
interface ClassPlan {
  empty: boolean;
  allowed: ReadonlySet<string>;
  properties: PropertyPlan[];
}

/** Per list of rules class-validator returns for a class: its memo keeps one list until a rule is added. */
const plans = new WeakMap<ValidationMetadata[], ClassPlan | null>();

/**
 * class-validator's `validate`, which first runs the class's constraints compiled into plain checks: a
 * value that passes them all has no errors and is accepted without class-validator's executor (its
 * error objects per property, filters and lookups per rule were most of a procurement record's check
 * and part of every command's). Any check that does not answer `true` (a failure, or a promise of an
 * async constraint), a constraint kind not compiled here (@ValidatePromise, @IsDefined, @Allow) or
 * options that change what is checked send the value to class-validator itself, so every error answer
 * is its own.
 */
export function validateInput(object: object, options: ValidatorOptions): Promise<ValidationError[]> {
  return passesCompiledConstraints(object, options) ? Promise.resolve([]) : validate(object, options);
}

/** `validateSync` with the same fast path. */
export function validateInputSync(object: object, options: ValidatorOptions): ValidationError[] {
  return passesCompiledConstraints(object, options) ? [] : validateSync(object, options);
}

/** Whether every constraint class-validator would check on `object` passes; false also means "not known here". */
export function passesCompiledConstraints(object: object, options: ValidatorOptions): boolean {
  if (!simpleOptions(options) || typeof object !== 'object' || object === null) return false;
  return passes(object, undefined, options);
}

// Options that only shape error answers are fine; these change what is checked (or strip values).
function simpleOptions(options: ValidatorOptions): boolean {
  return (
    !options.skipMissingProperties &&
    !options.skipNullProperties &&
    !options.skipUndefinedProperties &&
    !options.always &&
    !options.strictGroups &&
    (options.groups === undefined || options.groups.length === 0) &&
    (!options.whitelist || options.forbidNonWhitelisted === true)
  );
}

/** ValidationExecutor.execute for one object, answering only "no errors". */
function passes(object: object, schema: string | undefined, options: ValidatorOptions): boolean {
  const plan = planOf(object.constructor, schema);
  if (!plan) return false;
  if (plan.empty) return options.forbidUnknownValues === false && !(options.whitelist && Object.keys(object).length > 0);
  if (options.whitelist) for (const key of Object.keys(object)) if (!plan.allowed.has(key)) return false;
  const source = object as Record<string, unknown>;
  for (const property of plan.properties) {
    if (!propertyPasses(object, source[property.name], property, options)) return false;
  }
  return true;
}

function propertyPasses(object: object, value: unknown, property: PropertyPlan, options: ValidatorOptions): boolean {
  let checked = true;
  for (const condition of property.conditions) checked = Boolean(condition(object, value)) && checked;
  if (!checked) return true;
  if (property.rules.length > 0) {
    const args: ValidationArguments = { targetName: object.constructor?.name, property: property.name, object, value, constraints: [] };
    for (const rule of property.rules) {
      if (rule.validateIf && !rule.validateIf(object, value)) continue;
      args.constraints = rule.constraints;
      if (rule.each && (Array.isArray(value) || value instanceof Set || value instanceof Map)) {
        for (const item of Array.from(value instanceof Map ? value.values() : value)) if (rule.test(item, args) !== true) return false;
      } else if (rule.test(value, args) !== true) return false;
    }
  }
  return property.nested === null || nestedPasses(value, property.nested, options);
}

/** ValidationExecutor.nestedValidations: each item of an array, Set or Map, or the object itself. */
function nestedPasses(value: unknown, schema: string, options: ValidatorOptions): boolean {
  if (value === undefined) return true;
  if (Array.isArray(value) || value instanceof Set || value instanceof Map) {
    for (const item of value instanceof Set ? Array.from(value) : value instanceof Map ? Array.from(value.values()) : value) {
      if (!nestedPasses(item, schema, options)) return false;
    }
    return true;
  }
  return value instanceof Object && passes(value, schema, options);
}

function planOf(target: unknown, schema: string | undefined): ClassPlan | null {
  if (typeof target !== 'function') return null;
  // The same question as ValidationExecutor.execute asks (no groups, `always` off).
  const metadata = getMetadataStorage().getTargetValidationMetadatas(target, schema as string, false, false, undefined);
  let plan = plans.get(metadata);
  if (plan === undefined) {
    plan = compile(metadata);
    plans.set(metadata, plan);
  }
  return plan;
}

function compile(metadata: ValidationMetadata[]): ClassPlan | null {
  const storage = getMetadataStorage();
  const grouped = storage.groupByPropertyName(metadata);
  const properties: PropertyPlan[] = [];
  for (const [name, own] of Object.entries(grouped)) {
    const property: PropertyPlan = { name, conditions: [], rules: [], nested: null };
    for (const rule of own) {
      if (rule.type === ValidationTypes.CONDITIONAL_VALIDATION) property.conditions.push(rule.constraints[0] as PropertyPlan['conditions'][number]);
      else if (rule.type === ValidationTypes.NESTED_VALIDATION) property.nested = typeof rule.target === 'string' ? rule.target : rule.target.name;
      else if (rule.type === ValidationTypes.CUSTOM_VALIDATION) {
        for (const constraint of storage.getTargetValidatorConstraints(rule.constraintCls)) {
          const instance = constraint.instance as { validate: ConstraintTest };
          property.rules.push({ test: instance.validate.bind(instance), constraints: rule.constraints, each: rule.each === true, validateIf: rule.validateIf });
        }
      } else return null;
    }
    properties.push(property);
  }
  return { empty: metadata.length === 0, allowed: new Set(Object.keys(grouped)), properties };
}
