package io.vmworkers.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks the parameter of a {@link WorkerTask} method by which its calls are routed in a pool of
 * replicas: calls whose key has the same {@code hashCode()} go to the same replica, so that a
 * replica can keep state for its keys. Without it, a call goes to the least busy replica.
 * <p>
 * A key belongs to a replica's place, not to its process: when the process dies, the key's calls
 * go to the spare that takes the place over, or wait for the place's restart, as calls to a single
 * worker do; what the dead process held for its keys is lost. A null key routes as key 0. At most
 * one parameter per method may be marked.
 */
@Target(ElementType.PARAMETER)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface RoutingKey {

}
