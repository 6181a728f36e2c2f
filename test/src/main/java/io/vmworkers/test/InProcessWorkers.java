package io.vmworkers.test;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.test.context.TestPropertySource;

/**
 * Runs the {@code @WorkerTask} beans of a Spring test's context on threads of the test's JVM
 * ({@code vmworkers.mode=in-process}): no worker process, the same channel, codec and allow-list.
 * Put it beside {@code @SpringBootTest}.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@TestPropertySource(properties = "vmworkers.mode=in-process")
public @interface InProcessWorkers {

}
