/**
 * Benchmark suite: vmworkers against the raw shared-memory ring and the alternatives, in one run.
 */
package io.vmworkers.benchmarks;
