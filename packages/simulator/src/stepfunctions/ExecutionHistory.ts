/** One event of GetExecutionHistory, with AWS's field names (`<type>EventDetails` camel-cased). */
export interface HistoryEvent {
  readonly id: number;
  readonly previousEventId: number;
  /** ISO time on the virtual clock (the API returns a date). */
  readonly timestamp: string;
  readonly type: string;
  readonly [details: string]: unknown;
}

/** Kept per event until `events()` asks: inputs and outputs are serialized only when read. */
interface Recorded {
  readonly id: number;
  readonly previousEventId: number;
  readonly atMs: number;
  readonly type: string;
  readonly detailsKey: string | undefined;
  readonly details: Readonly<Record<string, unknown>> | undefined;
}

/** A value the API returns as JSON text, with the `…Details` object AWS puts beside it. */
const TEXT_FIELDS = new Set(["input", "output", "parameters", "cause"]);
const TEXT_DETAILS: Record<string, string> = { input: "inputDetails", output: "outputDetails" };

/**
 * An execution's history as GetExecutionHistory returns it: events numbered from 1, each with the id
 * of the event that led to it (`previousEventId`; 0 for `ExecutionStarted` and the first state
 * entered), its virtual timestamp, its type and its details object (`stateEnteredEventDetails`,
 * `lambdaFunctionScheduledEventDetails`, `taskFailedEventDetails`, …). `input`, `output` and
 * `parameters` are JSON text with `{"truncated": false}` details beside them, as the API gives them
 * (docs/aws-semantics.md#sfn-execution-history).
 *
 * @example
 * ```ts
 * const history = new ExecutionHistory();
 * const started = history.add(0, "ExecutionStarted", 0, { input: {}, roleArn });
 * history.events()[0]; // { id: 1, previousEventId: 0, timestamp: "…", type: "ExecutionStarted", executionStartedEventDetails: {…} }
 * ```
 */
export class ExecutionHistory {
  readonly #recorded: Recorded[] = [];

  /** How many events there are (AWS's quota is 25,000 per execution). */
  public get length(): number {
    return this.#recorded.length;
  }

  /**
   * Appends an event and returns its id. `details` go under `<type, first letter lower case>EventDetails`
   * unless `detailsKey` names another key (AWS shares `stateEnteredEventDetails` across state types).
   */
  public add(
    atMs: number,
    type: string,
    previousEventId: number,
    details?: Readonly<Record<string, unknown>>,
    detailsKey?: string,
  ): number {
    const id = this.#recorded.length + 1;
    this.#recorded.push({
      id,
      previousEventId,
      atMs,
      type,
      detailsKey:
        details === undefined
          ? undefined
          : (detailsKey ?? `${type[0]!.toLowerCase()}${type.slice(1)}EventDetails`),
      details,
    });
    return id;
  }

  /** The events' types, oldest first: what `execution` expectations compare, without serializing details. */
  public types(): string[] {
    return this.#recorded.map((event) => event.type);
  }

  /** The events as the API returns them, oldest first. */
  public events(): HistoryEvent[] {
    return this.#recorded.map((event) => ({
      id: event.id,
      previousEventId: event.previousEventId,
      timestamp: new Date(event.atMs).toISOString(),
      type: event.type,
      ...(event.detailsKey === undefined ? {} : { [event.detailsKey]: serialize(event.details!) }),
    }));
  }
}

function serialize(details: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(details)) {
    if (!TEXT_FIELDS.has(key)) {
      out[key] = value;
      continue;
    }
    out[key] = typeof value === "string" && key === "cause" ? value : (JSON.stringify(value) ?? "null");
    const detailsKey = TEXT_DETAILS[key];
    if (detailsKey !== undefined) out[detailsKey] = { truncated: false };
  }
  return out;
}
