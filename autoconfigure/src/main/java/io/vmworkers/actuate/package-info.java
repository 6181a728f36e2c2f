/**
 * Observability of workers: the {@code vmworkers} actuator endpoint, health and Micrometer meters,
 * and the sampler behind their rates.
 */
package io.vmworkers.actuate;
