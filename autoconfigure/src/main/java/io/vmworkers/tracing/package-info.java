/**
 * Traces across the channel through Micrometer's Observation API: what the tracer on the class
 * path (Brave, OpenTelemetry) makes of it is up to its own handlers.
 */
package io.vmworkers.tracing;
