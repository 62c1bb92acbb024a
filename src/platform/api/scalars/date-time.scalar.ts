import { GraphQLError, GraphQLScalarType, Kind } from 'graphql';

const ISO_DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;
const EARLIEST = Date.UTC(1900, 0, 1);
const END = Date.UTC(10000, 0, 1);
const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Parses an ISO 8601 date-time with an explicit offset into its canonical UTC form, or throws. */
export function parseDateTime(value: unknown): string {
  const parts = typeof value === 'string' && value.length <= 40 ? ISO_DATE_TIME.exec(value) : null;
  if (!parts) {
    throw new GraphQLError('DateTime must be an ISO 8601 date-time with a time zone, e.g. 2027-03-01T09:00:00Z');
  }
  const text = parts[0];
  const time = Date.parse(text);
  // Date.parse rolls impossible days over (02-30 becomes 03-02): the calendar date must exist as written.
  if (!calendarDateExists(Number(parts[1]), Number(parts[2]), Number(parts[3])) || Number(parts[4]) >= 24 || Number.isNaN(time) || time < EARLIEST || time >= END) {
    throw new GraphQLError(`DateTime ${text} is not a valid date-time between 1900 and 9999`);
  }
  // Already canonical (24 characters ending in Z: seconds and milliseconds in UTC), as most machine-made values are.
  return text.length === 24 && text.endsWith('Z') ? text : new Date(time).toISOString();
}

function calendarDateExists(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return day <= (month === 2 && leap ? 29 : MONTH_DAYS[month - 1]);
}

export const DateTimeScalar = new GraphQLScalarType<string, string>({
  name: 'DateTime',
  description: 'ISO 8601 date-time with a time zone; answers are in UTC (Z)',
  serialize: (value) => (value instanceof Date ? value.toISOString() : String(value)),
  parseValue: parseDateTime,
  parseLiteral: (ast) => parseDateTime(ast.kind === Kind.STRING ? ast.value : undefined),
});
