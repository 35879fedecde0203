import { describe, expect, it } from "vitest";
import { SeededRandom, Simulation, StepLimitExceededError } from "../../src/index.js";

describe("Simulation", () => {
  it("runs events in time order and simultaneous events in the order they were scheduled", () => {
    const sim = new Simulation();
    const seen: string[] = [];
    sim.after(2_000, () => seen.push("b@2s"));
    sim.after(1_000, () => seen.push("a@1s"));
    sim.after(2_000, () => seen.push("c@2s"));
    sim.after(0, () => sim.after(1_000, () => seen.push("d@1s, scheduled later")));
    sim.runUntilIdle();
    expect(seen).toEqual(["a@1s", "d@1s, scheduled later", "b@2s", "c@2s"]);
  });

  it("moves the clock to the end of runUntil even when nothing is due", () => {
    const sim = new Simulation({ startMs: 0 });
    sim.after(10_000, () => {});
    sim.runUntil(5_000);
    expect(sim.now()).toBe(5_000);
    expect(sim.pending).toBe(1);
  });

  it("throws instead of looping forever when a model keeps rescheduling", () => {
    const sim = new Simulation({ stepLimit: 100 });
    const loop = (): void => sim.after(1, loop);
    sim.after(0, loop);
    expect(() => sim.runUntilIdle()).toThrow(StepLimitExceededError);
  });

  it("refuses to schedule in the past", () => {
    const sim = new Simulation({ startMs: 1_000 });
    expect(() => sim.at(999, () => {})).toThrow(/before now/);
  });
});

describe("SeededRandom", () => {
  it("gives the same sequence for the same seed and another for another seed", () => {
    const a = new SeededRandom(42);
    const b = new SeededRandom(42);
    const c = new SeededRandom(43);
    const seqA = Array.from({ length: 20 }, () => a.next());
    expect(Array.from({ length: 20 }, () => b.next())).toEqual(seqA);
    expect(Array.from({ length: 20 }, () => c.next())).not.toEqual(seqA);
    for (const value of seqA) expect(value >= 0 && value < 1).toBe(true);
  });
});

describe("Simulation with asynchronous work", () => {
  it("waits for tracked work before moving virtual time on", async () => {
    const sim = new Simulation({ startMs: 0 });
    const seen: string[] = [];
    sim.after(1_000, () => {
      sim.track(
        new Promise<void>((resolve) => setTimeout(resolve, 5)).then(() => {
          seen.push(`handler done at ${sim.now()}`);
          sim.after(500, () => seen.push(`completion at ${sim.now()}`));
        }),
      );
    });
    sim.after(1_200, () => seen.push(`next event at ${sim.now()}`));
    await sim.runUntilIdleAsync();
    expect(seen).toEqual(["handler done at 1000", "next event at 1200", "completion at 1500"]);
  });
});

describe("Simulation tracked failures", () => {
  it("stops the run when tracked work rejects, instead of losing the error", async () => {
    const sim = new Simulation();
    sim.after(10, () => sim.track(Promise.reject(new Error("model bug"))));
    await expect(sim.runUntilIdleAsync()).rejects.toThrow("model bug");
  });
});
