import { registerEnumType } from '@nestjs/graphql';

/** Registers a GraphQL enum built from a domain const array, so that the two can never drift apart. */
export function graphqlEnum<const T extends readonly string[]>(name: string, values: T): { [K in T[number]]: K } {
  const object = Object.fromEntries(values.map((v) => [v, v])) as { [K in T[number]]: K };
  registerEnumType(object, { name });
  return object;
}
