package io.vmworkers.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.core.annotation.AliasFor;
import org.springframework.stereotype.Component;

/**
 * Marks a component that runs in its own worker JVM, started from the same application.
 * <p>
 * On the master, the bean is a subclass whose methods send each call to the worker and return its
 * result, except methods marked {@link OnMaster}, which run on the master. On the worker, the bean
 * is the plain class and every method runs there. A {@link io.vmworkers.channel.WorkerChannel}
 * constructor parameter receives the channel's end for the side the bean lives on. The worker's
 * name is the bean name; {@code vmworkers.workers.<name>.*} overrides settings for it.
 * <p>
 * Methods must not be final or private to be routed: a private method runs wherever its caller
 * runs. {@code equals}, {@code hashCode}, {@code toString} and lifecycle callbacks
 * ({@code @PostConstruct}, {@code @PreDestroy}) run locally on each side.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Component
public @interface WorkerTask {

	/**
	 * The bean name, which is also the worker's name. Defaults to the decapitalized class name.
	 * @return the name
	 */
	@AliasFor(annotation = Component.class)
	String value() default "";

	/**
	 * How many worker processes serve this task, each with its own channel: calls go to the least
	 * busy one (or by {@link RoutingKey}). {@code vmworkers.workers.<name>.replicas} overrides it.
	 * @return the replica count, at least 1
	 */
	int replicas() default 1;

}
