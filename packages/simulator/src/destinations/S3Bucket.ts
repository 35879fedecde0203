import type { ModelEnv } from "../engine/ModelEnv.js";
import { assertOptions, assertString } from "../engine/validate.js";

/**
 * An S3 bucket as an on-failure destination target: it keeps the objects written to it.
 *
 * @example
 * ```ts
 * const bucket = topology.addBucket({ bucketName: "failed-records" });
 * topology.run();
 * [...bucket.objects.keys()];
 * ```
 */
export class S3Bucket {
  public readonly bucketName: string;
  public readonly arn: string;
  public readonly objects = new Map<string, string>();
  readonly #topology: ModelEnv;

  public constructor(topology: ModelEnv, config: { readonly bucketName: string }) {
    assertOptions("addBucket", config, ["bucketName"]);
    assertString("addBucket", "bucketName", config.bucketName);
    this.#topology = topology;
    this.bucketName = config.bucketName;
    this.arn = `arn:aws:s3:::${config.bucketName}`;
  }

  /** PutObject. */
  public putObject(key: string, body: string): void {
    this.objects.set(key, body);
    if (this.#topology.trace.on)
      this.#topology.trace.emit(`s3:${this.bucketName}`, "put", { key, bytes: body.length });
  }
}
