/** One scheduled event: what runs, when, and its place among events at the same time. */
export interface ScheduledEvent {
  readonly timeMs: number;
  readonly sequence: number;
  readonly run: () => void;
}

/**
 * A binary min-heap ordered by (time, sequence). The sequence number makes simultaneous events run
 * in the order they were scheduled, so no outcome depends on luck or on heap internals.
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
  readonly #heap: ScheduledEvent[] = [];
  #nextSequence = 0;

  public get size(): number {
    return this.#heap.length;
  }

  public push(timeMs: number, run: () => void): ScheduledEvent {
    const event = { timeMs, sequence: this.#nextSequence++, run };
    const heap = this.#heap;
    heap.push(event);
    let index = heap.length - 1;
    while (index > 0) {
      const parent = (index - 1) >> 1;
      if (!before(event, heap[parent]!)) break;
      heap[index] = heap[parent]!;
      index = parent;
    }
    heap[index] = event;
    return event;
  }

  public peek(): ScheduledEvent | undefined {
    return this.#heap[0];
  }

  public pop(): ScheduledEvent | undefined {
    const heap = this.#heap;
    const top = heap[0];
    const last = heap.pop();
    if (top === undefined || last === undefined || heap.length === 0) return top;
    let index = 0;
    const length = heap.length;
    for (;;) {
      const left = 2 * index + 1;
      if (left >= length) break;
      const right = left + 1;
      const child = right < length && before(heap[right]!, heap[left]!) ? right : left;
      if (!before(heap[child]!, last)) break;
      heap[index] = heap[child]!;
      index = child;
    }
    heap[index] = last;
    return top;
  }
}

function before(a: ScheduledEvent, b: ScheduledEvent): boolean {
  return a.timeMs < b.timeMs || (a.timeMs === b.timeMs && a.sequence < b.sequence);
}
