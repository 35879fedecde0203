import { once } from "node:events";
import type { AddressInfo } from "node:net";
import { createServer as createNetServer } from "node:net";

/** Asks the OS for a free TCP port on 127.0.0.1 (internal). */
export async function freePort(): Promise<number> {
  const probe = createNetServer();
  probe.listen(0, "127.0.0.1");
  await once(probe, "listening");
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}
