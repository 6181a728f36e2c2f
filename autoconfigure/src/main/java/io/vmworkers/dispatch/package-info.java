/**
 * The dispatcher: worker handles, master-side call routing, the worker-side runtime and supervision.
 */
package io.vmworkers.dispatch;
