package io.vmworkers.kubernetes;

import java.io.IOException;
import java.net.InetAddress;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.vmworkers.dispatch.WorkerSettings;
import io.vmworkers.dispatch.master.RemoteLaunch;
import io.vmworkers.dispatch.master.WorkerPlacement;
import io.vmworkers.process.WorkerProcess;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.beans.factory.DisposableBean;

/**
 * The {@code kubernetes} placement: each worker process a bare pod of its own, made by the master
 * as Spark's driver makes its executors (a Deployment would restart pods behind the master's back
 * and give them no identity of their own). The master supervises the pod through a watch and the
 * worker's connection, and restarts a worker by making a new pod.
 */
public final class KubernetesPlacement implements WorkerPlacement, DisposableBean {

	private static final Log logger = LogFactory.getLog(KubernetesPlacement.class);

	private final KubernetesClient client;

	private final KubernetesProperties properties;

	private final String application;

	private final String masterPodName;

	/** The value of the master label on what this master makes: its pod's name, or its run's id. */
	private final String masterLabel;

	private MasterPod masterPod;

	private boolean masterPodLooked;

	/**
	 * Creates the placement.
	 * @param client the client, for the master's namespace
	 * @param properties the pods' settings
	 * @param application the application's name, for the pods' labels
	 */
	public KubernetesPlacement(KubernetesClient client, KubernetesProperties properties, String application) {
		this.client = client;
		this.properties = properties;
		this.application = WorkerPods.labelValue(application);
		this.masterPodName = (properties.getMasterPod() != null) ? properties.getMasterPod() : ownPodName();
		this.masterLabel = WorkerPods.labelValue((this.masterPodName != null) ? this.masterPodName
				: "run-" + UUID.randomUUID().toString().substring(0, 8));
	}

	/** A master in a pod is named by its host name, which Kubernetes sets to the pod's name. */
	private static String ownPodName() {
		return (System.getenv("KUBERNETES_SERVICE_HOST") != null) ? System.getenv("HOSTNAME") : null;
	}

	@Override
	public String name() {
		return "kubernetes";
	}

	@Override
	public WorkerProcess start(String name, WorkerSettings settings, RemoteLaunch launch) throws IOException {
		String namespace = namespace();
		MasterPod master = masterPod(namespace);
		KubernetesProperties.PodTemplate template = this.properties.podFor(name);
		String image = (template.getImage() != null) ? template.getImage() : (master != null) ? master.image() : null;
		if (image == null) {
			throw new IllegalStateException("worker '" + name + "' has placement kubernetes, but no image is known:"
					+ " the master runs in no pod to take it from; set vmworkers.kubernetes.pod.image");
		}
		String podName = WorkerPods.name("vmw", launch.launchId());
		String secretName = WorkerPods.name("vmw-secret", launch.launchId());
		Map<String, String> labels = new LinkedHashMap<>(this.properties.getLabels());
		labels.put(WorkerPods.COMPONENT_LABEL, WorkerPods.COMPONENT);
		labels.put(WorkerPods.APPLICATION_LABEL, this.application);
		labels.put(WorkerPods.WORKER_LABEL, WorkerPods.labelValue(name));
		labels.put(WorkerPods.LAUNCH_LABEL, WorkerPods.labelValue(launch.launchId()));
		if (launch.place() >= 0) {
			labels.put(WorkerPods.REPLICA_LABEL, Integer.toString(launch.place()));
		}
		labels.put(WorkerPods.MASTER_LABEL, this.masterLabel);
		OwnerReference owner = (master != null) ? WorkerPods.ownedBy(master) : null;
		Pod pod = WorkerPods.pod(podName, namespace, labels, owner, template, image,
				(template.getImagePullPolicy() != null) ? template.getImagePullPolicy()
						: (master != null) ? master.imagePullPolicy() : null,
				(template.getServiceAccount() != null) ? template.getServiceAccount()
						: (master != null) ? master.serviceAccount() : null,
				master, launch, masterAddress(master, launch.masterPort()), secretName);
		try {
			this.client.secrets()
				.inNamespace(namespace)
				.resource(WorkerPods.secret(secretName, namespace, labels, owner, launch.secret()))
				.create();
			try {
				this.client.pods().inNamespace(namespace).resource(pod).create();
			}
			catch (KubernetesClientException ex) {
				this.client.secrets().inNamespace(namespace).withName(secretName).delete();
				throw ex;
			}
		}
		catch (KubernetesClientException ex) {
			throw new IOException("could not create pod " + podName + " for worker '" + name + "' in namespace "
					+ namespace + ": " + ex.getMessage() + " (the master's service account needs to create, get,"
					+ " watch and delete pods and secrets there)", ex);
		}
		PodWorker worker = new PodWorker(this.client, name, namespace, podName, secretName, launch.command());
		worker.watch();
		logger.info("Worker '" + name + "' placed in pod " + podName + " (namespace " + namespace + ")");
		return worker;
	}

	private String namespace() {
		if (this.properties.getNamespace() != null) {
			return this.properties.getNamespace();
		}
		String namespace = this.client.getNamespace();
		return (namespace != null) ? namespace : "default";
	}

	private synchronized MasterPod masterPod(String namespace) {
		if (!this.masterPodLooked && this.masterPodName != null) {
			this.masterPodLooked = true;
			Pod pod = this.client.pods().inNamespace(namespace).withName(this.masterPodName).get();
			if (pod == null) {
				logger.warn("The master's pod " + this.masterPodName + " is not in namespace " + namespace
						+ ": the worker pods get no owner and no defaults from it (vmworkers.kubernetes.master-pod)");
			}
			else {
				this.masterPod = MasterPod.of(pod);
			}
		}
		return this.masterPod;
	}

	/** The address a worker pod dials: the configured host, the master pod's IP, or this host's. */
	private String masterAddress(MasterPod master, int port) throws IOException {
		String host = this.properties.getMasterHost();
		if (host == null && master != null) {
			host = master.ip();
		}
		if (host == null) {
			host = InetAddress.getLocalHost().getHostAddress();
		}
		return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
	}

	/**
	 * Deletes what this master made and still finds: the worker pods and secrets a stopping
	 * master has not deleted one by one (a launch that failed half-way, a watch that missed an end).
	 */
	@Override
	public void destroy() {
		String namespace = namespace();
		try {
			this.client.pods()
				.inNamespace(namespace)
				.withLabel(WorkerPods.COMPONENT_LABEL, WorkerPods.COMPONENT)
				.withLabel(WorkerPods.MASTER_LABEL, this.masterLabel)
				.withGracePeriod(0)
				.delete();
			this.client.secrets()
				.inNamespace(namespace)
				.withLabel(WorkerPods.COMPONENT_LABEL, WorkerPods.COMPONENT)
				.withLabel(WorkerPods.MASTER_LABEL, this.masterLabel)
				.delete();
		}
		catch (KubernetesClientException ex) {
			logger.warn("Could not delete the worker pods and secrets of this master in namespace " + namespace + ": "
					+ ex.getMessage());
		}
	}

}
