package io.vmworkers.kubernetes;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.vmworkers.process.WorkerProcess;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * A worker running in a pod, as the master supervises it: alive while the pod is neither
 * finished nor gone, its exit the container's, ended by deleting the pod. Its secret goes with it.
 * The pid is the pod's business: -1 here, the worker's process being proven by its connection.
 */
final class PodWorker implements WorkerProcess {

	private static final Log logger = LogFactory.getLog(PodWorker.class);

	/** The exit code of a container killed without saying how it ended, as SIGKILL's. */
	private static final int KILLED = 128 + 9;

	/** The exit code of a container asked to stop, without saying how it ended, as SIGTERM's. */
	private static final int TERMINATED = 128 + 15;

	private final KubernetesClient client;

	private final String worker;

	private final String namespace;

	private final String pod;

	private final String secret;

	private final List<String> command;

	private final CompletableFuture<PodWorker> exit = new CompletableFuture<>();

	private volatile int exitCode = -1;

	private volatile String reason;

	private volatile int deletedWith = KILLED;

	private volatile String node;

	private volatile Watch watch;

	PodWorker(KubernetesClient client, String worker, String namespace, String pod, String secret,
			List<String> command) {
		this.client = client;
		this.worker = worker;
		this.namespace = namespace;
		this.pod = pod;
		this.secret = secret;
		this.command = List.copyOf(command);
	}

	/** Watches the pod from now on, and looks at it once: it may have ended before the watch began. */
	void watch() {
		this.watch = this.client.pods().inNamespace(this.namespace).withName(this.pod).watch(new Watcher<>() {

			@Override
			public void eventReceived(Action action, Pod resource) {
				if (action == Action.DELETED) {
					ended(resource, true);
				}
				else {
					seen(resource);
				}
			}

			@Override
			public void onClose(WatcherException cause) {
				if (!PodWorker.this.exit.isDone()) {
					logger.warn("The watch of pod " + PodWorker.this.pod + " (worker '" + PodWorker.this.worker
							+ "') closed: " + cause.getMessage() + "; the worker's connection still tells if it dies");
				}
			}

		});
		Pod current = this.client.pods().inNamespace(this.namespace).withName(this.pod).get();
		if (current == null) {
			ended(null, true);
		}
		else {
			seen(current);
		}
	}

	private void seen(Pod resource) {
		if (resource.getSpec() != null && resource.getSpec().getNodeName() != null) {
			this.node = resource.getSpec().getNodeName();
		}
		String phase = (resource.getStatus() != null) ? resource.getStatus().getPhase() : null;
		if ("Succeeded".equals(phase) || "Failed".equals(phase)) {
			ended(resource, false);
		}
	}

	private synchronized void ended(Pod resource, boolean deleted) {
		if (this.exit.isDone()) {
			return;
		}
		ContainerStateTerminated terminated = terminated(resource);
		if (terminated != null && terminated.getExitCode() != null) {
			this.exitCode = terminated.getExitCode();
			this.reason = terminated.getReason();
		}
		else {
			this.exitCode = deleted ? this.deletedWith : KILLED;
			this.reason = deleted ? "pod deleted" : (resource.getStatus() != null) ? resource.getStatus().getReason() : null;
		}
		Watch current = this.watch;
		if (current != null) {
			current.close();
		}
		// A finished pod of restart policy Never stays until deleted: the master starts a new one.
		deleteQuietly(0);
		this.exit.complete(this);
	}

	private static ContainerStateTerminated terminated(Pod resource) {
		if (resource == null || resource.getStatus() == null || resource.getStatus().getContainerStatuses() == null) {
			return null;
		}
		for (ContainerStatus status : resource.getStatus().getContainerStatuses()) {
			if (WorkerPods.CONTAINER.equals(status.getName()) && status.getState() != null) {
				return status.getState().getTerminated();
			}
		}
		return null;
	}

	private void deleteQuietly(long graceSeconds) {
		try {
			this.client.pods().inNamespace(this.namespace).withName(this.pod).withGracePeriod(graceSeconds).delete();
			this.client.secrets().inNamespace(this.namespace).withName(this.secret).delete();
		}
		catch (KubernetesClientException ex) {
			logger.warn("Could not delete pod " + this.pod + " or secret " + this.secret + " of worker '" + this.worker
					+ "': " + ex.getMessage());
		}
	}

	@Override
	public String name() {
		return this.worker;
	}

	@Override
	public long pid() {
		return -1;
	}

	@Override
	public List<String> command() {
		return this.command;
	}

	@Override
	public boolean isAlive() {
		return !this.exit.isDone();
	}

	@Override
	public CompletableFuture<?> onExit() {
		return this.exit;
	}

	@Override
	public int exitCode() {
		return this.exitCode;
	}

	@Override
	public List<String> outputTail() {
		// A pod's output is the cluster's: kubectl logs <pod>.
		return List.of();
	}

	@Override
	public String describeExit() {
		if (isAlive()) {
			return "running";
		}
		return WorkerProcess.describeExitCode(this.exitCode) + " (pod " + this.pod
				+ ((this.reason != null) ? ", " + this.reason : "") + ")";
	}

	@Override
	public void closeInput() {
		// Nothing to close: a pod's worker learns of its master's end from its connection.
	}

	@Override
	public boolean awaitExit(Duration timeout) {
		try {
			this.exit.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
			return true;
		}
		catch (TimeoutException ex) {
			return false;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
		catch (ExecutionException ex) {
			return true;
		}
	}

	@Override
	public boolean terminate(Duration grace) {
		if (!isAlive()) {
			return true;
		}
		this.deletedWith = TERMINATED;
		deleteQuietly(Math.max(1, grace.toSeconds()));
		if (awaitExit(grace.plusSeconds(1))) {
			return true;
		}
		kill();
		return awaitExit(Duration.ofSeconds(5));
	}

	@Override
	public void kill() {
		if (isAlive()) {
			this.deletedWith = KILLED;
			deleteQuietly(0);
		}
	}

	/**
	 * Returns where the worker runs.
	 * @return the pod's name, and its node once scheduled
	 */
	@Override
	public String location() {
		return "pod " + this.pod + ((this.node != null) ? " on node " + this.node : "");
	}

	@Override
	public String toString() {
		return "worker '" + this.worker + "' in " + location();
	}

}
