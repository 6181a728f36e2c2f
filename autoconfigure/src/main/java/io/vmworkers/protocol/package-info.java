/**
 * What master and worker speak: frame types, the call's payload, the parameters of a worker's
 * launch, and the link and channel end through which each side sends and receives.
 */
package io.vmworkers.protocol;
