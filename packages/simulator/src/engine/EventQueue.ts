/** What a scheduled event calls: a function and up to three arguments, so models need no closure per event. */
export type ScheduledCall<A = unknown, B = unknown, C = unknown> = (a: A, b: B, c: C) => void;

/**
 * One scheduled event: what runs, when, and its place among events at the same time. A record with
 * the callback and its arguments instead of a closure: the 1M-message benchmarks schedule several
 * events per delivery, and a closure per event (plus the record) was a third of their garbage.
 */
export class ScheduledEvent {
  /** @internal */
  public timeMs = 0;
  /** @internal */
  public sequence = 0;
  /** @internal */
  public fn: ScheduledCall<never, never, never> | undefined = undefined;
  /** @internal */
  public a: unknown = undefined;
  /** @internal */
  public b: unknown = undefined;
  /** @internal */
  public c: unknown = undefined;

  /** Runs the event's callback with its arguments. */
  public run(): void {
    (this.fn as ScheduledCall)(this.a, this.b, this.c);
  }
}

/** Records kept for reuse; beyond this a freed record is left to the garbage collector. */
const POOL_LIMIT = 1 << 16;

/**
 * A priority queue ordered by (time, sequence). The sequence number makes simultaneous events run
 * in the order they were scheduled, so no outcome depends on luck or on heap internals.
 *
 * Two parts, one order: a binary min-heap, and a FIFO "lane" for a run of events pushed for one and
 * the same time (typically "now": a poll, an async attempt). Lane events share their time and arrive in
 * sequence order, so the lane is sorted; `pop` takes the smaller of the heap top and the lane head by
 * (time, sequence), which is exactly the order a single heap gives. The lane turns the most common
 * push (at the current time) into an array append instead of a heap sift.
 *
 * @example
 * ```ts
 * import { EventQueue } from "@rebound/simulator";
 * const queue = new EventQueue();
 * queue.push(1000, () => console.log("later"));
 * queue.pop()?.run();
 * ```
 */
export class EventQueue {
  // The heap's keys live in typed arrays beside its records: sifting compares contiguous numbers instead
  // of chasing a pointer (and a boxed double) per comparison, which was most of `step` in the benchmarks.
  #times = new Float64Array(1024);
  #sequences = new Float64Array(1024);
  #items: (ScheduledEvent | undefined)[] = new Array<ScheduledEvent | undefined>(1024);
  #length = 0;
  #lane: ScheduledEvent[] = [];
  #laneHead = 0;
  #laneTimeMs = Number.NaN;
  /** Time of the last event popped: pushes at this time start a lane. */
  #lastPoppedMs = Number.NEGATIVE_INFINITY;
  readonly #pool: ScheduledEvent[] = [];
  #nextSequence = 0;

  public get size(): number {
    return this.#length + this.#lane.length - this.#laneHead;
  }

  /** Schedules a closure. */
  public push(timeMs: number, run: () => void): ScheduledEvent {
    return this.pushCall(timeMs, run, undefined, undefined, undefined);
  }

  /** Schedules `fn(a, b, c)`: no closure needed when `fn` is created once per model. */
  public pushCall<A, B, C>(timeMs: number, fn: ScheduledCall<A, B, C>, a: A, b: B, c: C): ScheduledEvent {
    const event = this.#pool.pop() ?? new ScheduledEvent();
    const sequence = this.#nextSequence++;
    event.timeMs = timeMs;
    event.sequence = sequence;
    event.fn = fn as ScheduledCall<never, never, never>;
    event.a = a;
    event.b = b;
    event.c = c;
    const laneLength = this.#lane.length - this.#laneHead;
    if (laneLength > 0 ? timeMs === this.#laneTimeMs : timeMs === this.#lastPoppedMs) {
      if (laneLength === 0) this.#laneTimeMs = timeMs;
      this.#lane.push(event);
      return event;
    }
    if (this.#length === this.#times.length) this.#grow();
    const times = this.#times;
    const sequences = this.#sequences;
    const items = this.#items;
    let index = this.#length++;
    while (index > 0) {
      const parent = (index - 1) >> 1;
      const parentTime = times[parent]!;
      if (parentTime < timeMs || (parentTime === timeMs && sequences[parent]! < sequence)) break;
      times[index] = parentTime;
      sequences[index] = sequences[parent]!;
      items[index] = items[parent];
      index = parent;
    }
    times[index] = timeMs;
    sequences[index] = sequence;
    items[index] = event;
    return event;
  }

  #grow(): void {
    const capacity = this.#times.length * 2;
    const times = new Float64Array(capacity);
    times.set(this.#times);
    this.#times = times;
    const sequences = new Float64Array(capacity);
    sequences.set(this.#sequences);
    this.#sequences = sequences;
    this.#items.length = capacity;
  }

  public peek(): ScheduledEvent | undefined {
    const top = this.#length > 0 ? this.#items[0] : undefined;
    if (this.#laneHead >= this.#lane.length) return top;
    const head = this.#lane[this.#laneHead]!;
    return top !== undefined && before(top, head) ? top : head;
  }

  public pop(): ScheduledEvent | undefined {
    const top = this.#length > 0 ? this.#items[0] : undefined;
    if (this.#laneHead < this.#lane.length) {
      const head = this.#lane[this.#laneHead]!;
      if (top === undefined || before(head, top)) {
        this.#lane[this.#laneHead++] = undefined as unknown as ScheduledEvent;
        if (this.#laneHead === this.#lane.length) {
          this.#lane.length = 0;
          this.#laneHead = 0;
        } else if (this.#laneHead > 4096 && this.#laneHead * 2 > this.#lane.length) {
          this.#lane = this.#lane.slice(this.#laneHead);
          this.#laneHead = 0;
        }
        this.#lastPoppedMs = head.timeMs;
        return head;
      }
    }
    if (top === undefined) return undefined;
    this.#lastPoppedMs = top.timeMs;
    const length = --this.#length;
    const times = this.#times;
    const sequences = this.#sequences;
    const items = this.#items;
    const lastTime = times[length]!;
    const lastSequence = sequences[length]!;
    const last = items[length];
    items[length] = undefined;
    if (length === 0) return top;
    let index = 0;
    for (;;) {
      const left = 2 * index + 1;
      if (left >= length) break;
      const right = left + 1;
      let child = left;
      if (right < length) {
        const rightTime = times[right]!;
        const leftTime = times[left]!;
        if (rightTime < leftTime || (rightTime === leftTime && sequences[right]! < sequences[left]!))
          child = right;
      }
      const childTime = times[child]!;
      if (childTime > lastTime || (childTime === lastTime && sequences[child]! > lastSequence)) break;
      times[index] = childTime;
      sequences[index] = sequences[child]!;
      items[index] = items[child];
      index = child;
    }
    times[index] = lastTime;
    sequences[index] = lastSequence;
    items[index] = last;
    return top;
  }

  /**
   * Hands a popped record back for reuse. Only for the one who popped it, once its callback and
   * arguments have been read: the record is cleared and handed out again by a later push.
   */
  public release(event: ScheduledEvent): void {
    event.fn = undefined;
    event.a = undefined;
    event.b = undefined;
    event.c = undefined;
    if (this.#pool.length < POOL_LIMIT) this.#pool.push(event);
  }
}

function before(a: ScheduledEvent, b: ScheduledEvent): boolean {
  return a.timeMs < b.timeMs || (a.timeMs === b.timeMs && a.sequence < b.sequence);
}
