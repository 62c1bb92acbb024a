import { plainToInstance, TransformationType } from 'class-transformer';
import type { TypeMetadata } from 'class-transformer/types/interfaces';
import type { MetadataStorage } from 'class-transformer/types/MetadataStorage';

// The store of class-transformer's decorators (what plainToInstance reads): its module has no typings of its own.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { defaultMetadataStorage } = require('class-transformer/cjs/storage') as { defaultMetadataStorage: MetadataStorage };

type Constructor = new () => object;

/** A property as class-transformer treats it: copied (an object as an instance of its `@Type` class), or `custom` (left to it). */
type PropertyPlan = { custom: true } | { custom: false; typed: TypeMetadata | undefined };

/** Target types class-transformer converts a value to (String(value), new Date(value), ...): left to it. */
const CONVERTED: ReadonlySet<unknown> = new Set([String, Number, Boolean, Date, Buffer, Map]);

/** Keys whose plan a class keeps: well above any input class's properties. */
const MAX_PLANNED_KEYS = 256;

/** Per class: its properties' plans, or null for a class with @Expose/@Exclude (left to class-transformer). */
const plans = new Map<Constructor, Map<string, PropertyPlan> | null>();

/**
 * `plainToInstance(cls, plain)` for JSON records: the same instance (the class's defaults, then each
 * property in order, objects of `@Type(() => Class)` properties as instances of that class), built
 * without class-transformer's metadata searches per property and level, which were a third of a
 * procurement record's check. Whatever it would not copy exactly like class-transformer (arrays,
 * objects without a `@Type`, `@Expose`/`@Exclude`/`@Transform`, a `@Type` that converts, objects
 * that are not plain) goes to plainToInstance itself.
 */
export function plainToInput<T extends object>(cls: new () => T, plain: Record<string, unknown>): T {
  return (copied(cls, plain) as T | undefined) ?? plainToInstance(cls, plain);
}

function copied(cls: Constructor, plain: object): object | undefined {
  const properties = plansOf(cls);
  if (!properties || !isPlainObject(plain)) return undefined;
  const instance = new cls() as Record<string, unknown>;
  const source = plain as Record<string, unknown>;
  for (const key of Object.keys(source)) {
    if (key === '__proto__' || key === 'constructor') continue;
    // class-transformer leaves getters without a setter and methods alone.
    const descriptor = Object.getOwnPropertyDescriptor(cls.prototype, key);
    if ((descriptor && !descriptor.set) || instance[key] instanceof Function) continue;
    let plan = properties.get(key);
    if (!plan) {
      plan = planOf(cls, key);
      // Keys come from clients (an unknown one is refused only later, by validation): a bounded memo.
      if (properties.size < MAX_PLANNED_KEYS) properties.set(key, plan);
    }
    if (plan.custom) return undefined;
    const { typed } = plan;
    const type: unknown = typed && (typed.typeFunction ? typed.typeFunction({ newObject: instance, object: source, property: key }) : typed.reflectedType);
    if (CONVERTED.has(type)) return undefined;
    const value = source[key];
    if (value === null || typeof value !== 'object') {
      instance[key] = value;
      continue;
    }
    const nested = typeof type === 'function' ? copied(type as Constructor, value) : undefined;
    if (!nested) return undefined;
    instance[key] = nested;
  }
  return instance;
}

function plansOf(cls: Constructor): Map<string, PropertyPlan> | null {
  let properties = plans.get(cls);
  if (properties === undefined) {
    const storage = defaultMetadataStorage;
    const plain = storage.getStrategy(cls) === 'none' && storage.getExposedMetadatas(cls).length === 0 && storage.getExcludedMetadatas(cls).length === 0;
    plans.set(cls, (properties = plain ? new Map() : null));
  }
  return properties;
}

function planOf(cls: Constructor, key: string): PropertyPlan {
  const typed = defaultMetadataStorage.findTypeMetadata(cls, key);
  const custom =
    defaultMetadataStorage.findTransformMetadatas(cls, key, TransformationType.PLAIN_TO_CLASS).length > 0 ||
    typed?.options?.discriminator !== undefined ||
    typed?.reflectedType === Map;
  return custom ? { custom } : { custom, typed };
}

/** A JSON object: not an array, Date, Buffer, Map or promise-like, which class-transformer treats otherwise. */
function isPlainObject(value: object): boolean {
  return Object.getPrototypeOf(value) === Object.prototype && typeof (value as { then?: unknown }).then !== 'function';
}
