/**
 * The first sequence number a simulated FIFO queue hands out, minus one. AWS's numbers are large
 * (20 digits, for example `18849496460467696128`), unique per queue and increase with every send;
 * starting from a 20-digit base keeps that length for the first 10^19 sends, so numbers compare the
 * same as strings and as numbers.
 */
const BASE = 18_000_000_000_000_000_000n;

/**
 * The `SequenceNumber` of the n-th message sent to a FIFO queue (n from 1): unique, 20 digits,
 * increasing with n.
 *
 * @example
 * ```ts
 * fifoSequenceNumber(1); // "18000000000000000001"
 * fifoSequenceNumber(11) > fifoSequenceNumber(2); // true
 * ```
 */
export function fifoSequenceNumber(sendNumber: number | bigint): string {
  return (BASE + BigInt(sendNumber)).toString();
}
