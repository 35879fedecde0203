import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { RetryableError } from "@rebound/errors";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { describeBody, postJson, retryAfterSeconds } from "../src/index.js";

let server: Server;
let baseUrl: string;
const received: unknown[] = [];

beforeAll(async () => {
  server = createServer((request, response) => {
    let text = "";
    request.on("data", (chunk) => {
      text += chunk;
    });
    request.on("end", () => {
      received.push(JSON.parse(text));
      if (request.url === "/slow") return; // never answers: the client's timeout ends it
      const status = request.url === "/busy" ? 429 : 201;
      response.writeHead(status, { "content-type": "application/json", "retry-after": "7" });
      response.end(
        JSON.stringify(status === 201 ? { id: "ch_1" } : { error: { code: "busy", message: "slow down" } }),
      );
    });
  });
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((done) => server.close(done));
});

describe("postJson against a real loopback server", () => {
  it("sends the payload as JSON and parses a JSON answer", async () => {
    const answer = await postJson(`${baseUrl}/charges`, { orderId: "o-1" }, { timeoutMs: 5_000 });
    expect(answer.status).toBe(201);
    expect(answer.body).toEqual({ id: "ch_1" });
    expect(received.at(-1)).toEqual({ orderId: "o-1" });
  });

  it("leaves status handling to the caller and exposes Retry-After", async () => {
    const answer = await postJson(`${baseUrl}/busy`, {}, { timeoutMs: 5_000 });
    expect(answer.status).toBe(429);
    expect(retryAfterSeconds(answer.headers, 0)).toBe(7);
    expect(describeBody(answer.body)).toBe("busy: slow down");
  });

  it("turns a timeout into a retryable error", async () => {
    await expect(postJson(`${baseUrl}/slow`, {}, { timeoutMs: 200 })).rejects.toMatchObject({
      constructor: RetryableError,
      code: "UPSTREAM_TIMEOUT",
    });
  });

  it("turns a refused connection into a retryable error", async () => {
    await expect(postJson("http://127.0.0.1:9/x", {}, { timeoutMs: 5_000 })).rejects.toMatchObject({
      code: "UPSTREAM_UNREACHABLE",
    });
  });
});

describe("retryAfterSeconds", () => {
  it.each([
    ["30", 30],
    ["Thu, 01 Jan 2026 00:01:00 GMT", 60],
    ["soon", undefined],
  ])("reads %s as %s seconds", (value, expected) => {
    expect(retryAfterSeconds(new Headers({ "retry-after": value }), Date.UTC(2026, 0, 1))).toBe(expected);
  });
});
