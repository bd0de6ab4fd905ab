/**
 * The origins CORS may allow: `['*']`, or one or more origins as a browser sends them in its `Origin`
 * header (scheme, host and port; no path, no trailing slash). The handler and the CDK construct check
 * them with the same rules, so a list one accepts the other does too.
 */

const LABEL = '[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?';

/** One origin, `http(s)://host[:port]`, as a JSON Schema `pattern`. */
export const ORIGIN_PATTERN = `^https?://${LABEL}(?:\\.${LABEL})*(?::\\d{1,5})?$`;

/** One entry of the list: an origin or `*`, as a JSON Schema `pattern`. */
export const ORIGIN_OR_WILDCARD_PATTERN = `^(?:\\*|${ORIGIN_PATTERN.slice(1, -1)})$`;

/**
 * What is wrong with `origins` as a whole (each entry matching {@link ORIGIN_OR_WILDCARD_PATTERN}), to
 * follow the option's name in a message; `undefined` when nothing is.
 */
export function originListProblem(origins: readonly string[]): string | undefined {
  if (origins.length === 0) return "must not be empty: pass ['*'] or the origins of the pages";
  if (origins.includes('*') && origins.length > 1) {
    return `mixes '*' with other origins (${origins.join(', ')}): use one or the other`;
  }
  return undefined;
}
