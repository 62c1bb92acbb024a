import { GraphQLError, GraphQLScalarType, Kind } from 'graphql';

/** Money and rates travel as decimal strings, never binary floats (docs/domain.md, "Cost formulas"). */
export function parseDecimal(value: unknown): string {
  if (typeof value !== 'string' || value.length > 40 || !/^-?\d+(\.\d+)?$/.test(value)) {
    throw new GraphQLError('Decimal must be a decimal number in a string, e.g. "1250.50"');
  }
  return value;
}

export const DecimalScalar = new GraphQLScalarType<string, string>({
  name: 'Decimal',
  description: 'Exact decimal number as a string',
  serialize: (value) => String(value),
  parseValue: parseDecimal,
  parseLiteral: (ast) => parseDecimal(ast.kind === Kind.STRING ? ast.value : undefined),
});
