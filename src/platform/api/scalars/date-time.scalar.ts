import { GraphQLError, GraphQLScalarType, Kind } from 'graphql';

const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

/** Parses an ISO 8601 date-time with an explicit offset into its canonical UTC form, or throws. */
export function parseDateTime(value: unknown): string {
  if (typeof value !== 'string' || value.length > 40 || !ISO_DATE_TIME.test(value)) {
    throw new GraphQLError('DateTime must be an ISO 8601 date-time with a time zone, e.g. 2027-03-01T09:00:00Z');
  }
  const time = Date.parse(value);
  // Date.parse rolls impossible days over (02-30 becomes 03-02): the calendar date must exist as written.
  const [year, month, day] = value.slice(0, 10).split('-').map(Number);
  const calendar = new Date(Date.UTC(year, month - 1, day));
  const exists = calendar.getUTCMonth() === month - 1 && calendar.getUTCDate() === day && Number(value.slice(11, 13)) < 24;
  if (!exists || Number.isNaN(time) || time < Date.UTC(1900, 0, 1) || time >= Date.UTC(10000, 0, 1)) {
    throw new GraphQLError(`DateTime ${value} is not a valid date-time between 1900 and 9999`);
  }
  return new Date(time).toISOString();
}

export const DateTimeScalar = new GraphQLScalarType<string, string>({
  name: 'DateTime',
  description: 'ISO 8601 date-time with a time zone; answers are in UTC (Z)',
  serialize: (value) => (value instanceof Date ? value.toISOString() : String(value)),
  parseValue: parseDateTime,
  parseLiteral: (ast) => parseDateTime(ast.kind === Kind.STRING ? ast.value : undefined),
});
