import { GraphQLSchema, isObjectType } from 'graphql';

/**
 * @nestjs/graphql gives every field of a code-first object type a resolver that reads the property of
 * the same name (`rootFieldResolver`). graphql-jit compiles a field without a resolver into a plain
 * property read, but calls a resolver with its argument handling for every value: on large answers (a
 * residency report's 10,000 rows, each with its evidence) that was most of the execution. This drops
 * those resolvers; the default one reads the same property. (Nest's resolver also falls back to a
 * field's `defaultValue`: no output field here sets one.)
 */
export function plainFieldReads(schema: GraphQLSchema): GraphQLSchema {
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    for (const field of Object.values(type.getFields())) {
      if (field.resolve?.name === 'rootFieldResolver') field.resolve = undefined;
    }
  }
  return schema;
}
