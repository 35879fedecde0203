/**
 * A small, fast, seedable random source (sfc32 seeded through splitmix32). Every random choice of
 * a run comes from one of these, so the same seed gives the same run.
 *
 * @example
 * ```ts
 * import { SeededRandom } from "@rebound/simulator";
 * const random = new SeededRandom(42);
 * random.next(); // a number in [0, 1), the same for every run with seed 42
 * ```
 */
export class SeededRandom {
  #a: number;
  #b: number;
  #c: number;
  #d: number;

  public constructor(public readonly seed: number) {
    if (!Number.isSafeInteger(seed)) throw new RangeError(`seed must be a safe integer, got ${seed}`);
    let state = seed >>> 0;
    const splitmix = (): number => {
      state = (state + 0x9e3779b9) | 0;
      let z = state;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.#a = splitmix();
    this.#b = splitmix();
    this.#c = splitmix();
    this.#d = splitmix();
  }

  /** A float in [0, 1). */
  public next(): number {
    const t = (((this.#a + this.#b) | 0) + this.#d) | 0;
    this.#d = (this.#d + 1) | 0;
    this.#a = this.#b ^ (this.#b >>> 9);
    this.#b = (this.#c + (this.#c << 3)) | 0;
    this.#c = (this.#c << 21) | (this.#c >>> 11);
    this.#c = (this.#c + t) | 0;
    return (t >>> 0) / 4294967296;
  }

  /** An integer in [min, max], both inclusive. */
  public int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  /** True with the given probability. */
  public chance(probability: number): boolean {
    return this.next() < probability;
  }

  /** A uniformly drawn unsigned 32-bit integer. */
  public uint32(): number {
    return Math.floor(this.next() * 4294967296) >>> 0;
  }

  /**
   * A version-4-shaped UUID drawn from this source (AWS ids look like this; ours are reproducible).
   * Four 32-bit draws and a hex table: ids are minted for every message and request, so this is hot.
   */
  public uuid(): string {
    const a = this.uint32();
    const b = this.uint32();
    const c = this.uint32();
    const d = this.uint32();
    return (
      hex8(a) +
      "-" +
      hex4(b >>> 16) +
      "-4" +
      hex4(b & 0xffff).slice(1) +
      "-" +
      hex4(((c >>> 16) & 0x3fff) | 0x8000) +
      "-" +
      hex4(c & 0xffff) +
      hex8(d)
    );
  }

  /**
   * A seed derived from this run's seed and a label (FNV-1a), so each scripted function or id stream
   * draws from its own source: adding a function does not shift the message ids of another.
   *
   * @example
   * ```ts
   * import { SeededRandom } from "@rebound/simulator";
   * const random = new SeededRandom(SeededRandom.derive(42, "payments"));
   * ```
   */
  public static derive(seed: number, label: string): number {
    let hash = (0x811c9dc5 ^ (seed >>> 0) ^ Math.floor(seed / 4294967296)) >>> 0;
    for (let i = 0; i < label.length; i++) {
      hash ^= label.charCodeAt(i);
      hash = Math.imul(hash, 0x01000193) >>> 0;
    }
    return hash;
  }
}

const HEX: string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, "0"));

function hex4(value: number): string {
  return HEX[(value >>> 8) & 0xff]! + HEX[value & 0xff]!;
}

function hex8(value: number): string {
  return hex4(value >>> 16) + hex4(value & 0xffff);
}
