// Shared rules, shipped as a Lambda layer: what kind of job this is.
exports.classify = (job) => {
  if (typeof job.jobId !== "string" || job.size < 0) return "poison";
  if (job.flaky === true) return "flaky";
  return "ok";
};
