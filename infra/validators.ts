/**
 * The one way infra/ checks a construct's props: a {@link PropsValidator} per construct, whose checks each
 * take a prop's name and value and return the value when it can be deployed, or throw an `Error` that names
 * the construct and the prop, shows the value given and says what is expected.
 *
 * Why not the project's `resolveOptions` (a JSON schema checked by `@middy/util`'s `validateOptions`), which
 * the middlewares use: a construct's props hold CDK Tokens, values known only at deploy time (a number Token
 * is a large negative number, a string Token reads `${Token[...]}`), which a schema would refuse, and CDK
 * objects (`Duration`, `Code`, `ITopic`) a schema cannot look into; and its messages cannot show the value
 * given. Every check here lets a Token through: CloudFormation checks it at deploy time.
 *
 * @module
 */
import { type Duration, Token } from 'aws-cdk-lib';

/** The bounds of a number: `above` is exclusive, `min` and `max` inclusive. */
export interface NumberBounds {
  readonly above?: number;
  readonly min?: number;
  readonly max?: number;
  /** What the number counts, for the message (`'requests per second'`). */
  readonly unit?: string;
}

/** The checks of one construct's props; every message starts with the construct's name. */
export class PropsValidator {
  /** The construct whose props are checked, e.g. `'SentimentApi'`: it starts every message. */
  public readonly owner: string;

  /**
   * @param owner - The construct whose props are checked, e.g. `'SentimentApi'`.
   */
  public constructor(owner: string) {
    this.owner = owner;
  }

  /** Refuses the props with `message`, prefixed with the owner. */
  public fail(message: string): never {
    throw new Error(`${this.owner}: ${message}`);
  }

  /** An integer in `min..max` (or `>= min`). */
  public integer(prop: string, value: number, min: number, max = Number.MAX_SAFE_INTEGER): number {
    if (Token.isUnresolved(value)) return value;
    if (!Number.isInteger(value) || value < min || value > max) {
      const range = max === Number.MAX_SAFE_INTEGER ? `>= ${min}` : `${min}..${max}`;
      this.fail(`${prop} must be an integer ${range}, got ${value}.`);
    }
    return value;
  }

  /** A finite number within `bounds`. */
  public number(prop: string, value: number, bounds: NumberBounds): number {
    if (Token.isUnresolved(value)) return value;
    const { above, min, max, unit } = bounds;
    const outside =
      typeof value !== 'number' ||
      !Number.isFinite(value) ||
      (above !== undefined && value <= above) ||
      (min !== undefined && value < min) ||
      (max !== undefined && value > max);
    if (outside) {
      const range = [
        above === undefined ? undefined : `> ${above}`,
        min !== undefined && max !== undefined ? `in ${min}..${max}` : undefined,
        min !== undefined && max === undefined ? `>= ${min}` : undefined,
        min === undefined && max !== undefined ? `<= ${max}` : undefined,
      ].filter((part) => part !== undefined);
      this.fail(`${prop} must be a number${unit === undefined ? '' : ` of ${unit}`} ${range.join(' ')}, got ${value}.`);
    }
    return value;
  }

  /** One of `allowed`. */
  public oneOf<T extends string>(prop: string, value: string, allowed: readonly T[]): T {
    if (!(allowed as readonly string[]).includes(value)) {
      this.fail(`${prop} must be one of ${allowed.join(', ')}, got '${value}'.`);
    }
    return value as T;
  }

  /** A string with something in it besides white space. */
  public nonBlank(prop: string, value: string): string {
    if (typeof value !== 'string' || value.trim() === '') this.fail(`${prop} must not be empty.`);
    return value;
  }

  /** A string `test` accepts; else "`prop` '`value`' is not `expected`". */
  public matches(prop: string, value: string, test: RegExp | ((value: string) => boolean), expected: string): string {
    if (Token.isUnresolved(value)) return value;
    const ok = typeof value === 'string' && (typeof test === 'function' ? test(value) : test.test(value));
    if (!ok) this.fail(`${prop} '${value}' is not ${expected}.`);
    return value;
  }

  /** A whole number of seconds in `min..max`; `undefined` for a Token duration. */
  public wholeSeconds(prop: string, value: Duration, min: number, max: number): number | undefined {
    if (value.isUnresolved()) return undefined;
    const millis = value.toMilliseconds();
    if (millis % 1000 !== 0 || millis < min * 1000 || millis > max * 1000) {
      this.fail(`${prop} must be a whole number of seconds in ${min}..${max}, got ${value.toHumanString()}.`);
    }
    return millis / 1000;
  }

  /** An object with no key outside `known` (a misspelt key would otherwise be silently ignored). */
  public knownKeys<T extends object>(prop: string, value: T, known: readonly string[]): T {
    const unknown = Object.keys(value).filter((key) => !known.includes(key));
    if (unknown.length > 0) {
      this.fail(
        `${prop} has no ${unknown.map((key) => `'${key}'`).join(', ')}: the known keys are ${known.join(', ')}.`,
      );
    }
    return value;
  }
}
