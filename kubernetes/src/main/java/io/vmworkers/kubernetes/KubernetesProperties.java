package io.vmworkers.kubernetes;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * How the master makes the pods of its workers placed on Kubernetes
 * ({@code vmworkers.workers.<name>.placement=kubernetes}). Unset values default to the master's
 * own pod when the master runs in one.
 */
@ConfigurationProperties("vmworkers.kubernetes")
public class KubernetesProperties {

	/**
	 * Namespace of the workers' pods and secrets; by default the client's (the master pod's own).
	 */
	private String namespace;

	/**
	 * Name of the master's own pod: the owner of the workers' pods, which go when it goes, and the
	 * source of their defaults. By default the HOSTNAME of a master that runs in a pod.
	 */
	private String masterPod;

	/**
	 * Host (name or address) the worker pods dial the master at, for example a headless Service's
	 * name; by default the master pod's IP.
	 */
	private String masterHost;

	/** Labels added to every worker pod. */
	private Map<String, String> labels = new LinkedHashMap<>();

	private final PodTemplate pod = new PodTemplate();

	/** Per-worker overrides of the pod, by worker (bean) name. */
	private Map<String, PodTemplate> workers = new LinkedHashMap<>();

	public String getNamespace() {
		return this.namespace;
	}

	public void setNamespace(String namespace) {
		this.namespace = namespace;
	}

	public String getMasterPod() {
		return this.masterPod;
	}

	public void setMasterPod(String masterPod) {
		this.masterPod = masterPod;
	}

	public String getMasterHost() {
		return this.masterHost;
	}

	public void setMasterHost(String masterHost) {
		this.masterHost = masterHost;
	}

	public Map<String, String> getLabels() {
		return this.labels;
	}

	public void setLabels(Map<String, String> labels) {
		this.labels = labels;
	}

	public PodTemplate getPod() {
		return this.pod;
	}

	public Map<String, PodTemplate> getWorkers() {
		return this.workers;
	}

	public void setWorkers(Map<String, PodTemplate> workers) {
		this.workers = workers;
	}

	/**
	 * Returns a worker's pod settings: its own where it has them, else the global ones.
	 * @param worker the worker's name
	 * @return the merged settings
	 */
	PodTemplate podFor(String worker) {
		PodTemplate own = this.workers.get(worker);
		return (own != null) ? own.over(this.pod) : this.pod;
	}

	/** What a worker pod runs with; unset values come from the master's pod. */
	public static class PodTemplate {

		/** Container image of the worker pods; by default the master pod's (the same application). */
		private String image;

		/** Image pull policy of the worker pods; by default the master pod's. */
		private String imagePullPolicy;

		/** Service account of the worker pods; by default the master pod's. */
		private String serviceAccount;

		/** Resource requests of the worker container, for example cpu=500m, memory=512Mi. */
		private Map<String, String> requests = new LinkedHashMap<>();

		/** Resource limits of the worker container, for example memory=512Mi. */
		private Map<String, String> limits = new LinkedHashMap<>();

		/** Node selector of the worker pods. */
		private Map<String, String> nodeSelector = new LinkedHashMap<>();

		/** Tolerations of the worker pods. */
		private List<Toleration> tolerations = new ArrayList<>();

		PodTemplate over(PodTemplate defaults) {
			PodTemplate merged = new PodTemplate();
			merged.image = (this.image != null) ? this.image : defaults.image;
			merged.imagePullPolicy = (this.imagePullPolicy != null) ? this.imagePullPolicy : defaults.imagePullPolicy;
			merged.serviceAccount = (this.serviceAccount != null) ? this.serviceAccount : defaults.serviceAccount;
			merged.requests = this.requests.isEmpty() ? defaults.requests : this.requests;
			merged.limits = this.limits.isEmpty() ? defaults.limits : this.limits;
			merged.nodeSelector = this.nodeSelector.isEmpty() ? defaults.nodeSelector : this.nodeSelector;
			merged.tolerations = this.tolerations.isEmpty() ? defaults.tolerations : this.tolerations;
			return merged;
		}

		public String getImage() {
			return this.image;
		}

		public void setImage(String image) {
			this.image = image;
		}

		public String getImagePullPolicy() {
			return this.imagePullPolicy;
		}

		public void setImagePullPolicy(String imagePullPolicy) {
			this.imagePullPolicy = imagePullPolicy;
		}

		public String getServiceAccount() {
			return this.serviceAccount;
		}

		public void setServiceAccount(String serviceAccount) {
			this.serviceAccount = serviceAccount;
		}

		public Map<String, String> getRequests() {
			return this.requests;
		}

		public void setRequests(Map<String, String> requests) {
			this.requests = requests;
		}

		public Map<String, String> getLimits() {
			return this.limits;
		}

		public void setLimits(Map<String, String> limits) {
			this.limits = limits;
		}

		public Map<String, String> getNodeSelector() {
			return this.nodeSelector;
		}

		public void setNodeSelector(Map<String, String> nodeSelector) {
			this.nodeSelector = nodeSelector;
		}

		public List<Toleration> getTolerations() {
			return this.tolerations;
		}

		public void setTolerations(List<Toleration> tolerations) {
			this.tolerations = tolerations;
		}

	}

	/** A toleration, as in a pod spec. */
	public static class Toleration {

		/** Taint key the toleration applies to; empty with operator Exists for all. */
		private String key;

		/** 'Equal' (the default) or 'Exists'. */
		private String operator;

		/** Taint value, with operator Equal. */
		private String value;

		/** Taint effect: NoSchedule, PreferNoSchedule or NoExecute; empty for all. */
		private String effect;

		public String getKey() {
			return this.key;
		}

		public void setKey(String key) {
			this.key = key;
		}

		public String getOperator() {
			return this.operator;
		}

		public void setOperator(String operator) {
			this.operator = operator;
		}

		public String getValue() {
			return this.value;
		}

		public void setValue(String value) {
			this.value = value;
		}

		public String getEffect() {
			return this.effect;
		}

		public void setEffect(String effect) {
			this.effect = effect;
		}

	}

}
