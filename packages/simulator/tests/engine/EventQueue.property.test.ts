import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Simulation } from "../../src/index.js";

// The queue keeps events due "now" in a FIFO list beside the heap and pools its event records; the
// order must still be exactly (time, scheduling order), whatever mix of delays and nesting.
describe("event order", () => {
  it("runs events by time, then in the order they were scheduled, including ones scheduled for now", () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 5 }), fc.integer({ min: 0, max: 3 })), {
          minLength: 1,
          maxLength: 60,
        }),
        (plan) => {
          const sim = new Simulation({ startMs: 0 });
          const ran: { timeMs: number; order: number }[] = [];
          let scheduled = 0;
          // Each planned event schedules `children` more at `delay` after itself, some at delay 0.
          const schedule = (delay: number, children: number): void => {
            const order = scheduled++;
            sim.callAt(
              sim.now() + delay,
              (n: number, c: number) => {
                ran.push({ timeMs: sim.now(), order: n });
                for (let index = 0; index < c && scheduled < 200; index++)
                  schedule(index % 2 === 0 ? 0 : delay + 1, 0);
              },
              order,
              children,
              undefined,
            );
          };
          for (const [delay, children] of plan) schedule(delay, children);
          sim.runUntilIdle();
          expect(ran).toHaveLength(scheduled);
          for (let index = 1; index < ran.length; index++) {
            const before = ran[index - 1]!;
            const after = ran[index]!;
            expect(
              after.timeMs > before.timeMs || (after.timeMs === before.timeMs && after.order > before.order),
            ).toBe(true);
          }
        },
      ),
    );
  });
});
