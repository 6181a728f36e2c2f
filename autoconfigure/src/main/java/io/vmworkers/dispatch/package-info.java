/**
 * The dispatcher's API: {@code VmDispatcher}, the worker and replica handles, their settings,
 * states and statistics, and the exceptions a call throws.
 */
package io.vmworkers.dispatch;
