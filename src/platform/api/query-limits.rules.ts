import { ASTVisitor, GraphQLError, ValidationContext } from 'graphql';

export const MAX_QUERY_DEPTH = 12;
/**
 * Tokens of one GraphQL document, checked while parsing: Mercurius caches parsed documents (invalid ones
 * too) by their text, so without a bound a client could fill memory with huge documents.
 */
export const MAX_QUERY_TOKENS = 2_000;
const MAX_FIELDS = 600;
const MAX_ALIASES = 40;

/**
 * Bounds the size of one request beyond depth (which Mercurius checks): the number of field
 * selections and of aliases, so a wide or alias-heavy query cannot multiply the work.
 */
export function queryCostRule(context: ValidationContext): ASTVisitor {
  let fields = 0;
  let aliases = 0;
  let reported = false;
  return {
    Field(node) {
      fields += 1;
      if (node.alias) aliases += 1;
      if (!reported && (fields > MAX_FIELDS || aliases > MAX_ALIASES)) {
        reported = true;
        context.reportError(
          new GraphQLError(`Query too large: at most ${MAX_FIELDS} fields and ${MAX_ALIASES} aliases per request`, {
            extensions: { code: 'BAD_USER_INPUT' },
          }),
        );
      }
    },
  };
}
