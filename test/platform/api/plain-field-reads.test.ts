import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildSchema, graphqlSync, GraphQLObjectType } from 'graphql';
import { GraphQLSchemaHost } from '@nestjs/graphql';
import { plainFieldReads } from '../../../src/platform/api/plain-field-reads.transform';
import { startTestApp } from '../../support/test-app';

test("plainFieldReads drops Nest's property-reading resolvers and keeps every other resolver", () => {
  const schema = buildSchema('type Query { row: Row } type Row { id: String, label: String }');
  const row = schema.getType('Row') as GraphQLObjectType;
  // What @nestjs/graphql attaches to a plain @Field, and a resolver of our own.
  const rootFieldResolver = (root: Record<string, unknown>) => root.id;
  row.getFields().id.resolve = rootFieldResolver;
  row.getFields().label.resolve = (root: Record<string, unknown>) => `label of ${root.id}`;

  plainFieldReads(schema);

  assert.equal(row.getFields().id.resolve, undefined);
  assert.equal(typeof row.getFields().label.resolve, 'function');
  const answer = graphqlSync({ schema, source: '{ row { id label } }', rootValue: { row: { id: 'r1' } } });
  assert.deepEqual(JSON.parse(JSON.stringify(answer)), { data: { row: { id: 'r1', label: 'label of r1' } } });
});

test("the service's schema reads plain fields without resolvers (a guard against a @nestjs/graphql upgrade renaming its resolver)", async () => {
  const { app, close } = await startTestApp();
  try {
    const { schema } = app.get(GraphQLSchemaHost);
    const result = schema.getType('CommandResult') as GraphQLObjectType;
    const capacity = schema.getType('PopCapacity') as GraphQLObjectType;
    for (const field of [result.getFields().streamId, capacity.getFields().popId]) assert.equal(field.resolve, undefined, field.name);
  } finally {
    await close();
  }
});
