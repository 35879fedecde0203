/**
 * The fixed facts every scenario run shares, in one place: where the synthesized orders stack is,
 * which account and virtual epoch the run uses. Fixed so two runs with one seed write the same trace.
 */

/** The synthesized orders stack, relative to the repository root (`pnpm synth` writes it). */
export const DEFAULT_STACK_PATH = "infra/cdktf.out/stacks/orders/cdk.tf.json";

/** The account id in every simulated ARN and queue URL. */
export const SIMULATED_ACCOUNT_ID = "123456789012";

/** Virtual epoch ms a run starts at: 2026-01-01T00:00:00Z. */
export const VIRTUAL_START_MS = Date.UTC(2026, 0, 1);

/** The DynamoDB stream label (its creation time) in stream ARNs. */
export const STREAM_LABEL = "2026-01-01T00:00:00.000";
