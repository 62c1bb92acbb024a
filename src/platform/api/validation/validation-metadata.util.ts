import { getMetadataStorage, MetadataStorage, useContainer } from 'class-validator';

type ValidationMetadata = Parameters<MetadataStorage['addValidationMetadata']>[0];

const memoized = new WeakSet<MetadataStorage>();

/**
 * Keeps class-validator's answer to "which rules does this class have" per class and options. Without
 * it every validation rebuilds that list: it filters the class's rules and tests the class against every
 * registered class for inheritance, then groups the rules by property again (a third of class-validator's
 * time per procurement record and per command). The rules stay class-validator's; any rule registered
 * later (a class loaded after the first validation) empties the memo.
 */
export function memoizeValidationMetadata(): void {
  const storage = getMetadataStorage();
  if (memoized.has(storage)) return;
  memoized.add(storage);
  const lookUp = storage.getTargetValidationMetadatas.bind(storage);
  const group = storage.groupByPropertyName.bind(storage);
  const add = storage.addValidationMetadata.bind(storage);
  let lists = new Map<unknown, Map<string, ValidationMetadata[]>>();
  let groups = new WeakMap<ValidationMetadata[], Record<string, ValidationMetadata[]>>();
  storage.addValidationMetadata = (metadata) => {
    lists = new Map();
    groups = new WeakMap();
    add(metadata);
  };
  storage.getTargetValidationMetadatas = (target, schema, always, strictGroups, wanted) => {
    // Without groups (every validation here) a short key; a JSON key starts with "[" and cannot equal it.
    const key = wanted === undefined ? `${Number(always)}${Number(strictGroups)}${schema}` : JSON.stringify([schema, always, strictGroups, wanted]);
    const own = lists.get(target) ?? new Map<string, ValidationMetadata[]>();
    lists.set(target, own);
    let list = own.get(key);
    if (!list) {
      list = lookUp(target, schema, always, strictGroups, wanted);
      own.set(key, list);
    }
    return list;
  };
  storage.groupByPropertyName = (metadata) => {
    let grouped = groups.get(metadata);
    if (!grouped) {
      grouped = group(metadata);
      groups.set(metadata, grouped);
    }
    return grouped;
  };
}

/**
 * class-validator's own container finds a rule's validator instance by a linear search of every instance
 * made so far (one per decorator use: some 250 in this service) on each rule of each validation; this one
 * finds it in a Map. The instances are the same: one per class, made on first use.
 */
export function indexValidatorInstances(): void {
  const instances = new Map<unknown, unknown>();
  useContainer({
    get(someClass: new () => unknown): unknown {
      let instance = instances.get(someClass);
      if (instance === undefined) instances.set(someClass, (instance = new someClass()));
      return instance;
    },
  });
}
