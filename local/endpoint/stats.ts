/** Counters of the local endpoint, so tests can assert "one call for a batch" or "retried 3 times". */

/** What the server saw of the last invocation. */
export interface InvocationRecord {
  readonly endpointName: string;
  readonly contentType: string | undefined;
  readonly accept: string | undefined;
  /** Request body size in bytes. */
  readonly bytes: number;
  /** Rows scored (0 when the call failed or a fault replaced the reply). */
  readonly rows: number;
  /** The reply's HTTP status, or `'dropped'`. */
  readonly outcome: number | 'dropped';
  /** `X-Amzn-SageMaker-Custom-Attributes`, `-Target-Variant`, `-Inference-Id` when sent. */
  readonly customAttributes: string | undefined;
  readonly targetVariant: string | undefined;
  readonly inferenceId: string | undefined;
}

/** The counters as JSON (`GET /_stats`). */
export interface StatsSnapshot {
  readonly invocations: number;
  readonly byEndpoint: Readonly<Record<string, number>>;
  readonly byStatus: Readonly<Record<string, number>>;
  readonly rowsScored: number;
  readonly faultsApplied: number;
  readonly last: InvocationRecord | undefined;
}

/** Live counters of one server. */
export class EndpointStats {
  /** `POST /endpoints/{name}/invocations` requests received, whatever their outcome (retries count). */
  invocations = 0;
  /** Invocations by endpoint name in the path (unknown names included). */
  byEndpoint: Record<string, number> = {};
  /** Invocation replies by status (`"200"`, `"424"`, ..., `"dropped"`). */
  byStatus: Record<string, number> = {};
  /** Rows scored by the model, over all successful invocations. */
  rowsScored = 0;
  /** Invocations a fault (latency or outcome) was applied to. */
  faultsApplied = 0;
  /** The last invocation, once it was answered. */
  last: InvocationRecord | undefined = undefined;

  /** Records an answered invocation. */
  record(invocation: InvocationRecord): void {
    this.last = invocation;
    this.rowsScored += invocation.rows;
    const key = String(invocation.outcome);
    this.byStatus[key] = (this.byStatus[key] ?? 0) + 1;
  }

  /** Zeroes every counter. */
  reset(): void {
    this.invocations = 0;
    this.byEndpoint = {};
    this.byStatus = {};
    this.rowsScored = 0;
    this.faultsApplied = 0;
    this.last = undefined;
  }

  /** A copy of the counters. */
  toJSON(): StatsSnapshot {
    return {
      invocations: this.invocations,
      byEndpoint: { ...this.byEndpoint },
      byStatus: { ...this.byStatus },
      rowsScored: this.rowsScored,
      faultsApplied: this.faultsApplied,
      last: this.last,
    };
  }
}
