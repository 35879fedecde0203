// Peak memory of a benchmark process, shared by the simulator benchmarks.

/**
 * Peak RSS is the kernel's high-water mark (getrusage maxRSS: the true peak, not a sample); the heap is
 * sampled every 10th call, because process.memoryUsage() reads /proc and cost 4% of a million-event run
 * when called on every burst.
 */
export function createMemorySampler() {
  let peakRss = 0;
  let peakHeap = 0;
  let samples = 0;
  return {
    sample(force = false) {
      const maxRss = process.resourceUsage().maxRSS * 1024;
      if (maxRss > peakRss) peakRss = maxRss;
      if (!force && samples++ % 10 !== 0) return;
      const usage = process.memoryUsage();
      if (usage.rss > peakRss) peakRss = usage.rss;
      if (usage.heapUsed > peakHeap) peakHeap = usage.heapUsed;
    },
    get peakRssMb() {
      return peakRss / 1024 / 1024;
    },
    get peakHeapMb() {
      return peakHeap / 1024 / 1024;
    },
  };
}
