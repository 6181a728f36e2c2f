package io.vmworkers.dispatch.inprocess;

import io.vmworkers.channel.ChannelFiles;
import io.vmworkers.channel.SharedRing;
import io.vmworkers.codec.KryoCodec;
import io.vmworkers.dispatch.WorkerSettings;
import io.vmworkers.dispatch.master.Launch;
import io.vmworkers.dispatch.master.LaunchPlan;
import io.vmworkers.dispatch.master.WorkerStarter;
import io.vmworkers.protocol.Tracing;

import org.springframework.context.ConfigurableApplicationContext;

/**
 * Starts each worker in the master's JVM: two rings in memory, the master's ends for the master,
 * the worker's ends for an {@link InProcessWorker}. Everything past the rings is the path a
 * worker process takes: frames, the codec and its allow-list, the worker's runtime, supervision.
 */
public final class InProcessStarter implements WorkerStarter {

	private final ConfigurableApplicationContext master;

	private final LaunchPlan plan;

	private final KryoCodec codec;

	private final Tracing tracing;

	/**
	 * Creates the starter.
	 * @param master the master's context: the parent of each worker's
	 * @param plan the workers and their task classes
	 * @param codec the codec, the one the master's ends use
	 * @param tracing the master's tracing, which the workers continue traces with
	 */
	public InProcessStarter(ConfigurableApplicationContext master, LaunchPlan plan, KryoCodec codec,
			Tracing tracing) {
		this.master = master;
		this.plan = plan;
		this.codec = codec;
		this.tracing = tracing;
	}

	@Override
	public Launch start(String name, WorkerSettings settings) {
		LaunchPlan.Worker worker = this.plan.workers().get(name);
		if (worker == null) {
			throw new IllegalStateException("no @WorkerTask class is known for worker '" + name + "'");
		}
		long spin = settings.spin().toNanos();
		SharedRing toWorker = SharedRing.inMemory(name + ChannelFiles.TO_WORKER, settings.capacity(), spin);
		SharedRing fromWorker = SharedRing.inMemory(name + ChannelFiles.FROM_WORKER, settings.capacity(), spin);
		String token = ChannelFiles.newToken();
		InProcessWorker running = InProcessWorker.start(name, worker.taskClass(), this.master, toWorker.otherEnd(),
				fromWorker.otherEnd(), settings, this.codec, this.tracing, token);
		return Launch.inMemory(name, toWorker, fromWorker, token, running);
	}

}
