package io.vmworkers.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a worker method that is safe to run twice. When its worker dies during the call and is
 * restarted, the call is sent once more to the new worker instead of failing. Other calls are never
 * retried: they fail with {@link io.vmworkers.dispatch.WorkerDiedException}, since they may have
 * executed.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface Idempotent {

}
