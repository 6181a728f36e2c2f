/**
 * Test support for applications with {@code @WorkerTask} beans: {@link io.vmworkers.test.InProcessWorkers}
 * runs their workers in the test's JVM, {@link io.vmworkers.test.VerifyNothingLeftBehind} checks
 * that a test with real workers leaves no worker process and no channel file behind.
 */
package io.vmworkers.test;
