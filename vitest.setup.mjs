// Runs in every test worker before its test files (vitest.shared.mjs lists it).
//
// 1. The handlers log one JSON line per failure straight to process.stdout, as Lambda wants, so
//    vitest cannot tell which test wrote them and prints them all. Routing those writes through
//    console.log lets vitest attribute them to the running test, and `silent: "passed-only"` then
//    shows them only next to a failing test.
// 2. The AWS SDK warns about Node < 22 once per module instance. The simulator loads every bundle
//    (each with its own SDK copy) with the function's own process.env, so the SDK's opt-out variable
//    does not reach them; dropping that one warning here keeps it out of every worker. The root
//    `npm test` prints the Node advice once instead.

const originalWrite = process.stdout.write.bind(process.stdout);
let forwarding = false;

process.stdout.write = (chunk, encoding, callback) => {
  // A console that itself writes to process.stdout (vitest's interception turned off) must not loop.
  if (forwarding) return originalWrite(chunk, encoding, callback);
  forwarding = true;
  try {
    const text = typeof chunk === "string" ? chunk : Buffer.from(chunk).toString("utf8");
    console.log(text.endsWith("\n") ? text.slice(0, -1) : text);
  } finally {
    forwarding = false;
  }
  const done = typeof encoding === "function" ? encoding : callback;
  if (typeof done === "function") done();
  return true;
};

const originalEmitWarning = process.emitWarning.bind(process);
process.emitWarning = (warning, ...rest) => {
  const message = typeof warning === "string" ? warning : warning.message;
  if (message.startsWith("NodeVersionSupportWarning")) return;
  originalEmitWarning(warning, ...rest);
};
