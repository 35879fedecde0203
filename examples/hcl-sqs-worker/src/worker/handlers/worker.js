// The SQS worker: CommonJS, with its job rules from a layer (job-rules in /opt/nodejs/node_modules).
// It reports failed messages one by one (ReportBatchItemFailures), so one bad job does not send
// the whole batch back to the queue.
const { classify } = require("job-rules");

const flakySucceedsOn = Number(process.env.FLAKY_SUCCEEDS_ON ?? "2");

exports.handler = async (event) => {
  const batchItemFailures = [];
  for (const record of event.Records) {
    const job = JSON.parse(record.body);
    const receive = Number(record.attributes.ApproximateReceiveCount);
    const verdict = classify(job);
    if (verdict === "poison" || (verdict === "flaky" && receive < flakySucceedsOn)) {
      console.log(`job ${job.jobId} failed on receive ${receive} (${verdict})`);
      batchItemFailures.push({ itemIdentifier: record.messageId });
    } else {
      console.log(`job ${job.jobId} done on receive ${receive}`);
    }
  }
  return { batchItemFailures };
};
