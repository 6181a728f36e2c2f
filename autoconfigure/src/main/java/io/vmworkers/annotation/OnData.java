package io.vmworkers.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a one-argument method of a {@link WorkerTask} that receives, in order, each object the
 * other side puts on the channel whose type fits the parameter: on the worker by default, on the
 * master when the method is also {@link OnMaster}. When several methods fit, the one with the most
 * specific parameter type wins; objects no method takes wait for
 * {@link io.vmworkers.channel.WorkerChannel#next()}.
 * <p>
 * A {@code byte[]} put crosses as its raw bytes. A method taking {@code byte[]} gets an array of
 * its own. A method taking a {@link java.nio.ByteBuffer} instead reads them where they arrived,
 * through a read-only view that is valid only until the method returns: no array is allocated
 * for each message, which at high rates of large messages (camera frames, point clouds) saves
 * the allocation and its garbage. Copy out what must outlive the call. A task has one of the two
 * for byte arrays, not both.
 * <p>
 * Handlers run on the channel's receiving thread, one at a time: a handler that blocks holds up
 * the messages behind it.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface OnData {

}
