package io.vmworkers.kubernetes;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.vmworkers.dispatch.master.RemoteLaunch;

/**
 * What a node does with the worker pods, for a cluster of one machine: it watches the pods of a
 * namespace and runs each as a local process from its container's command and environment (the
 * secret read from its Secret, the master's address rewritten to loopback), reports it Running,
 * Succeeded or Failed with the container's exit code, and stops the process when its pod is
 * deleted.
 */
final class TestKubelet implements AutoCloseable {

	/** The node every pod runs on. */
	static final String NODE = "node-1";

	private final KubernetesClient client;

	private final String namespace;

	private final Map<String, Process> processes = new ConcurrentHashMap<>();

	private final Watch watch;

	TestKubelet(KubernetesClient client, String namespace) {
		this.client = client;
		this.namespace = namespace;
		this.watch = client.pods().inNamespace(namespace).watch(new Watcher<>() {

			@Override
			public void eventReceived(Action action, Pod pod) {
				if (action == Action.ADDED && pod.getSpec().getContainers() != null
						&& pod.getMetadata().getLabels() != null
						&& WorkerPods.COMPONENT.equals(pod.getMetadata().getLabels().get(WorkerPods.COMPONENT_LABEL))) {
					Thread run = new Thread(() -> run(pod), "test-kubelet-" + pod.getMetadata().getName());
					run.setDaemon(true);
					run.start();
				}
				else if (action == Action.DELETED) {
					stop(pod.getMetadata().getName());
				}
			}

			@Override
			public void onClose(WatcherException cause) {
			}

		});
	}

	/**
	 * Returns the process running a pod.
	 * @param pod the pod's name
	 * @return the process, or null
	 */
	Process process(String pod) {
		return this.processes.get(pod);
	}

	private void run(Pod pod) {
		String name = pod.getMetadata().getName();
		// Scheduled on this one node.
		this.client.pods().inNamespace(this.namespace).withName(name).edit((scheduled) -> {
			scheduled.getSpec().setNodeName(NODE);
			return scheduled;
		});
		Container container = pod.getSpec().getContainers().get(0);
		ProcessBuilder builder = new ProcessBuilder(container.getCommand());
		for (EnvVar variable : container.getEnv()) {
			String value = (variable.getValueFrom() != null) ? secretValue(variable) : variable.getValue();
			if (RemoteLaunch.MASTER_ADDRESS_VARIABLE.equals(variable.getName())) {
				value = "127.0.0.1" + value.substring(value.lastIndexOf(':'));
			}
			builder.environment().put(variable.getName(), value);
		}
		builder.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
		Process process;
		try {
			process = builder.start();
		}
		catch (Exception ex) {
			report(name, "Failed", 127);
			return;
		}
		this.processes.put(name, process);
		report(name, "Running", null);
		process.onExit().thenAccept((ended) -> report(name, (ended.exitValue() == 0) ? "Succeeded" : "Failed",
				ended.exitValue()));
	}

	/** Reads a variable's value from its Secret, waiting a little for the Secret, as a node does. */
	private String secretValue(EnvVar variable) {
		String secretName = variable.getValueFrom().getSecretKeyRef().getName();
		for (int attempt = 0; attempt < 50; attempt++) {
			Secret secret = this.client.secrets().inNamespace(this.namespace).withName(secretName).get();
			if (secret != null) {
				String encoded = secret.getData().get(variable.getValueFrom().getSecretKeyRef().getKey());
				return new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
			}
			sleep(100);
		}
		throw new IllegalStateException("no secret " + secretName);
	}

	private void report(String name, String phase, Integer exitCode) {
		Pod current = this.client.pods().inNamespace(this.namespace).withName(name).get();
		if (current == null) {
			return;
		}
		ContainerStatusBuilder container = new ContainerStatusBuilder().withName(WorkerPods.CONTAINER);
		container = (exitCode == null) ? container.withNewState().withNewRunning().endRunning().endState()
				: container.withNewState().withNewTerminated().withExitCode(exitCode).endTerminated().endState();
		current.setStatus(new PodStatusBuilder().withPhase(phase)
			.withPodIP("127.0.0.1")
			.withContainerStatuses(List.of(container.build()))
			.build());
		try {
			this.client.pods().inNamespace(this.namespace).resource(current).updateStatus();
		}
		catch (KubernetesClientException ex) {
			// Deleted meanwhile: nothing to report to.
		}
	}

	private void stop(String name) {
		Process process = this.processes.remove(name);
		if (process != null && process.isAlive()) {
			process.destroy();
			try {
				if (!process.waitFor(10, TimeUnit.SECONDS)) {
					process.destroyForcibly();
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				process.destroyForcibly();
			}
		}
	}

	private static void sleep(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	@Override
	public void close() {
		this.watch.close();
		this.processes.keySet().forEach(this::stop);
	}

}
