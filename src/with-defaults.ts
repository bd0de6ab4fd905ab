/**
 * Options merged over their defaults, as every factory here takes them: an option given as `undefined`
 * (an unset setting passed through) takes its default. A plain spread would let it override the
 * default, so `cacheExpiry: undefined` would turn a cache off and `methods: undefined` would crash.
 */
export function withDefaults<Defaults extends object, Given extends object>(
  defaults: Defaults,
  given: Given,
): Defaults & Given {
  const defined = Object.fromEntries(Object.entries(given).filter(([, value]) => value !== undefined));
  return { ...defaults, ...defined } as Defaults & Given;
}
