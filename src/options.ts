/**
 * Options as every factory of this package takes them, in Middy's idiom: a `defaults` object, the
 * given options spread over it, and a schema checked once, at setup, with `validateOptions` of
 * `@middy/util` (the checker Middy's own middlewares export). A wrong option fails when the
 * middleware is created, at module load, not at the first request.
 */
import { type OptionSchema, validateOptions } from '@middy/util';

export type { OptionSchema };

/**
 * The given options over their defaults, after checking them against `schema`.
 *
 * An option given as `undefined` (an unset setting passed through, `cacheExpiry: env.UNSET`) takes its
 * default: a plain spread would let it override the default.
 *
 * @param owner the factory's name, which starts every error message (`vocabularyMiddleware: ...`)
 * @throws {TypeError} naming the factory and the option: an unknown option, or one of the wrong type or range
 */
export function resolveOptions<Defaults extends object, Given extends object>(
  owner: string,
  schema: OptionSchema,
  defaults: Defaults,
  given: Given | undefined,
): Defaults & Given {
  if (given !== undefined && (given === null || typeof given !== 'object' || Array.isArray(given))) {
    throw new TypeError(`${owner}: options must be an object, got ${given === null ? 'null' : typeof given}.`);
  }
  const defined = Object.fromEntries(Object.entries(given ?? {}).filter(([, value]) => value !== undefined));
  try {
    validateOptions(owner, schema, defined);
  } catch (error) {
    throw new TypeError(`${owner}: ${(error as Error).message}.`, { cause: error });
  }
  return { ...defaults, ...defined } as Defaults & Given;
}
