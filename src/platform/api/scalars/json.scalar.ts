import { GraphQLScalarType } from 'graphql';

/** Output-only JSON (event data in `history`). */
export const JsonScalar = new GraphQLScalarType({
  name: 'JSON',
  description: 'Arbitrary JSON value (output only)',
  serialize: (value) => value,
  parseValue: () => {
    throw new TypeError('JSON is an output type');
  },
});
