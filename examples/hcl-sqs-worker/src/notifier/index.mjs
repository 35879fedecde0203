// The notifier, invoked asynchronously: an ES module. A notification to a bounced address fails;
// Lambda retries it once (maximum_retry_attempts = 1) and then sends the event to the on-failure
// destination.
export const handler = async (event) => {
  if (typeof event.to !== "string" || event.to.endsWith("@bounce.example")) {
    throw new Error(`cannot notify ${event.to}: the address bounces`);
  }
  console.log(`notified ${event.to}`);
  return { notified: event.to };
};
