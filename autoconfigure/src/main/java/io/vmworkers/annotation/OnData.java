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
 * its own; a method taking a {@link java.nio.ByteBuffer} instead gets a read-only view of it. A
 * task has one of the two for byte arrays, not both.
 * <p>
 * Handlers run one at a time, in order, never inside the read of the channel: on the worker on
 * its receiving thread right after the read (or on a data thread of the channel while that thread
 * is busy), on the master on a data thread of the channel's own. A handler may call
 * {@link io.vmworkers.channel.WorkerChannel#next()}, which then returns the objects that follow
 * its own, and {@code put}. A handler that blocks holds up the objects behind it (calls and
 * heartbeats go on); once the other side holds four rings' worth unread, its {@code put} waits,
 * then fails after its send timeout. A handler running longer than the send timeout is logged
 * with its stack.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface OnData {

}
