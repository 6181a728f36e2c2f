/**
 * The user's vocabulary: {@link io.vmworkers.annotation.WorkerTask}, {@link io.vmworkers.annotation.OnMaster}
 * and {@link io.vmworkers.annotation.OnData}.
 */
package io.vmworkers.annotation;
