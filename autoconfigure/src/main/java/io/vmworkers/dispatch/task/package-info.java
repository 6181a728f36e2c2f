/**
 * The configuration a worker with a task context runs instead of the application's class.
 */
package io.vmworkers.dispatch.task;
