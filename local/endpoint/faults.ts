/**
 * Fault injection for the local endpoint: slow replies, AWS errors, dropped connections and raw
 * (malformed) bodies, each for the next N invocations or until cleared.
 *
 * On every invocation, one latency fault (the oldest active one) delays the reply, then the oldest
 * active "outcome" fault (`error`, `drop` or `body`) replaces the normal reply. Each fault applied
 * uses up one of its `times`; a fault whose `times` is used up is removed.
 */

/** How many invocations a fault affects: a count (default 1), or `'always'` until cleared. */
export type FaultTimes = number | 'always';

/** Delay the reply by `ms` milliseconds. */
export interface LatencyFault {
  readonly kind: 'latency';
  readonly ms: number;
  readonly times?: FaultTimes;
}

/**
 * Answer with an AWS error instead of scoring: `name` is sent as `x-amzn-ErrorType`, so the SDK
 * throws its class of that name (`ModelError`, `ValidationError`, `ModelNotReadyException`,
 * `ServiceUnavailable`, `InternalFailure`, `InternalDependencyException`, or e.g. `ThrottlingException`).
 */
export interface ErrorFault {
  readonly kind: 'error';
  readonly name: string;
  /** HTTP status; defaults to AWS's status for `name` (see `ERROR_STATUS`), else 400. */
  readonly status?: number;
  /** The error message; a default close to AWS's is used when absent. */
  readonly message?: string;
  /** For `ModelError`: the container's status (default 500). */
  readonly originalStatusCode?: number;
  /** For `ModelError`: the container's message. */
  readonly originalMessage?: string;
  readonly times?: FaultTimes;
}

/** Destroy the socket without a reply: the SDK sees a network error (`ECONNRESET` / socket hang up). */
export interface DropFault {
  readonly kind: 'drop';
  readonly times?: FaultTimes;
}

/** Reply 200 (or `status`) with this raw body: for truncated, non-numeric or too-few-scores replies. */
export interface BodyFault {
  readonly kind: 'body';
  readonly body: string;
  /** Default `text/csv; charset=utf-8`. */
  readonly contentType?: string;
  /** Default 200. */
  readonly status?: number;
  readonly times?: FaultTimes;
}

/** Any fault. */
export type Fault = LatencyFault | ErrorFault | DropFault | BodyFault;

/** A fault that replaces the normal reply. */
export type OutcomeFault = ErrorFault | DropFault | BodyFault;

/** An active fault and how many invocations it still affects. */
export interface ActiveFault {
  readonly fault: Fault;
  /** `'always'`, or invocations left. */
  readonly remaining: FaultTimes;
}

/** What one invocation is subjected to. */
export interface FaultPlan {
  /** Milliseconds to wait before replying (0 for none). */
  readonly latencyMs: number;
  /** The reply that replaces the normal one, if any. */
  readonly outcome: OutcomeFault | undefined;
}

/** A fault description that cannot be used; `message` says why. */
export class FaultError extends Error {
  override readonly name = 'FaultError';
}

const isCount = (value: unknown): value is number => typeof value === 'number' && Number.isInteger(value) && value >= 1;

/**
 * Checks a fault received as JSON (control route) or options.
 * @throws {FaultError} naming the bad field.
 */
export function validateFault(input: unknown): Fault {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) {
    throw new FaultError('A fault must be an object with a "kind": "latency" | "error" | "drop" | "body".');
  }
  const fault = input as Record<string, unknown>;
  const { times } = fault;
  if (times !== undefined && times !== 'always' && !isCount(times)) {
    throw new FaultError('Fault "times" must be a positive integer or "always".');
  }
  switch (fault.kind) {
    case 'latency':
      if (typeof fault.ms !== 'number' || !Number.isFinite(fault.ms) || fault.ms < 0) {
        throw new FaultError('A latency fault needs "ms": a number of milliseconds >= 0.');
      }
      return fault as unknown as LatencyFault;
    case 'error':
      if (typeof fault.name !== 'string' || !/^[A-Za-z][A-Za-z0-9]*$/.test(fault.name)) {
        throw new FaultError('An error fault needs "name": an AWS error name such as "ModelError".');
      }
      if (fault.status !== undefined && !(isCount(fault.status) && fault.status >= 400 && fault.status <= 599)) {
        throw new FaultError('An error fault\'s "status" must be an HTTP error status (400..599).');
      }
      if (fault.message !== undefined && typeof fault.message !== 'string') {
        throw new FaultError('An error fault\'s "message" must be a string.');
      }
      return fault as unknown as ErrorFault;
    case 'drop':
      return fault as unknown as DropFault;
    case 'body':
      if (typeof fault.body !== 'string') throw new FaultError('A body fault needs "body": the raw reply text.');
      if (fault.status !== undefined && !(isCount(fault.status) && fault.status <= 599)) {
        throw new FaultError('A body fault\'s "status" must be an HTTP status.');
      }
      return fault as unknown as BodyFault;
    default:
      throw new FaultError(
        `Unknown fault kind ${JSON.stringify(fault.kind)}: use "latency", "error", "drop" or "body".`,
      );
  }
}

interface Slot {
  fault: Fault;
  remaining: FaultTimes;
}

/** The active faults of one server. Mutated by options, the control route, or tests directly. */
export class FaultInjector {
  #slots: Slot[] = [];

  /**
   * Adds faults; each applies to the next `times` invocations (default 1) or `'always'`.
   * @throws {FaultError} when a fault is malformed (nothing is added then).
   */
  add(...faults: Fault[]): this {
    const checked = faults.map(validateFault);
    for (const fault of checked) this.#slots.push({ fault, remaining: fault.times ?? 1 });
    return this;
  }

  /** Shorthand: delay the next `times` invocations (default 1) by `ms`. */
  latency(ms: number, times: FaultTimes = 1): this {
    return this.add({ kind: 'latency', ms, times });
  }

  /** Shorthand: answer the next `times` invocations (default 1) with error `name`. */
  error(name: string, options: Omit<ErrorFault, 'kind' | 'name'> = {}): this {
    return this.add({ ...options, kind: 'error', name });
  }

  /** Shorthand: drop the connection of the next `times` invocations (default 1). */
  drop(times: FaultTimes = 1): this {
    return this.add({ kind: 'drop', times });
  }

  /** Shorthand: reply with this raw body to the next `times` invocations (default 1). */
  body(body: string, options: Omit<BodyFault, 'kind' | 'body'> = {}): this {
    return this.add({ ...options, kind: 'body', body });
  }

  /** Removes every fault. */
  clear(): void {
    this.#slots = [];
  }

  /** The active faults, oldest first. */
  list(): ActiveFault[] {
    return this.#slots.map(({ fault, remaining }) => ({ fault, remaining }));
  }

  /** Decides what the next invocation is subjected to, and uses up the faults it applies. */
  take(): FaultPlan {
    const latency = this.#slots.find((slot) => slot.fault.kind === 'latency');
    const outcome = this.#slots.find((slot) => slot.fault.kind !== 'latency');
    for (const slot of [latency, outcome]) {
      if (slot !== undefined && slot.remaining !== 'always') slot.remaining -= 1;
    }
    this.#slots = this.#slots.filter((slot) => slot.remaining === 'always' || slot.remaining > 0);
    return {
      latencyMs: latency === undefined ? 0 : (latency.fault as LatencyFault).ms,
      outcome: outcome?.fault as OutcomeFault | undefined,
    };
  }
}
