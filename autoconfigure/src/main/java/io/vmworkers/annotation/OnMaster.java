package io.vmworkers.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a method of a {@link WorkerTask} that runs on the master instead of the worker. Calls it
 * makes to the task's other methods still go to the worker. With {@link OnData}, the method
 * receives the objects the worker puts on the channel.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface OnMaster {

}
