package io.vmworkers.test;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.extension.ExtendWith;

/**
 * After the test class's tests, fails it if a worker process or a channel file of this JVM is
 * left: the contract says closing a master's context ends its workers and removes their files.
 * The context must be closed by then: one the class closes itself, or a {@code @SpringBootTest}'s
 * with {@code @DirtiesContext}. Put this annotation first, before {@code @SpringBootTest}: JUnit
 * runs the checks registered first last, after Spring has closed the context.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(NothingLeftBehindExtension.class)
public @interface VerifyNothingLeftBehind {

	/**
	 * The channel directory the application's workers use ({@code vmworkers.channel.directory}).
	 * @return the directory
	 */
	String channelDirectory() default "/dev/shm";

	/**
	 * How long to wait for workers still exiting, in seconds.
	 * @return the seconds
	 */
	long timeoutSeconds() default 10;

}
