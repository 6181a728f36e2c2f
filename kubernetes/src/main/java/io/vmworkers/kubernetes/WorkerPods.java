package io.vmworkers.kubernetes;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import io.vmworkers.dispatch.master.RemoteLaunch;

/**
 * What the master creates for one worker process: a Secret holding the launch's secret and a bare
 * Pod (restart policy Never: the master restarts, with a new pod) that runs the worker's command
 * in the master's image, with the master container's environment (the application's
 * configuration), the master's address and the launch id, and the secret by reference. Both carry the labels that name the application, the worker and the launch,
 * and are owned by the master's pod when it runs in one.
 */
final class WorkerPods {

	/** Label naming the application (spring.application.name). */
	static final String APPLICATION_LABEL = "app.kubernetes.io/instance";

	/** Label every worker pod and secret carries, with the value {@value #COMPONENT}. */
	static final String COMPONENT_LABEL = "app.kubernetes.io/component";

	static final String COMPONENT = "vmworkers-worker";

	/** Label naming the worker (bean). */
	static final String WORKER_LABEL = "vmworkers.io/worker";

	/** Label naming the worker's place in its pool: 0 for the first replica. */
	static final String REPLICA_LABEL = "vmworkers.io/replica";

	/** Label naming the launch: one per process. */
	static final String LAUNCH_LABEL = "vmworkers.io/launch";

	/** Label naming the master, its pod or else its run, so that a master finds what is its own. */
	static final String MASTER_LABEL = "vmworkers.io/master";

	/** The key of the secret in its Secret. */
	static final String SECRET_KEY = "token";

	static final String CONTAINER = "worker";

	private WorkerPods() {
	}

	static Secret secret(String name, String namespace, Map<String, String> labels, OwnerReference owner,
			String secret) {
		return new SecretBuilder().withNewMetadata()
			.withName(name)
			.withNamespace(namespace)
			.withLabels(labels)
			.withOwnerReferences((owner != null) ? List.of(owner) : List.of())
			.endMetadata()
			.withType("Opaque")
			.withData(Map.of(SECRET_KEY, Base64.getEncoder().encodeToString(secret.getBytes(StandardCharsets.UTF_8))))
			.build();
	}

	static Pod pod(String name, String namespace, Map<String, String> labels, OwnerReference owner,
			KubernetesProperties.PodTemplate template, String image, String imagePullPolicy, String serviceAccount,
			MasterPod master, RemoteLaunch launch, String masterAddress, String secretName) {
		List<EnvVar> environment = new ArrayList<>();
		if (master != null) {
			// The application's configuration, as the master has it; what vmworkers sets comes after.
			master.environment()
				.stream()
				.filter((variable) -> !variable.getName().startsWith("VMWORKERS_WORKER_")
						&& !variable.getName().equals(RemoteLaunch.SECRET_VARIABLE))
				.forEach(environment::add);
		}
		launch.environment().forEach((key, value) -> environment.add(new EnvVar(key, value, null)));
		environment.add(new EnvVar(RemoteLaunch.MASTER_ADDRESS_VARIABLE, masterAddress, null));
		environment.add(new EnvVarBuilder().withName(RemoteLaunch.SECRET_VARIABLE)
			.withNewValueFrom()
			.withNewSecretKeyRef()
			.withName(secretName)
			.withKey(SECRET_KEY)
			.endSecretKeyRef()
			.endValueFrom()
			.build());
		return new PodBuilder().withNewMetadata()
			.withName(name)
			.withNamespace(namespace)
			.withLabels(labels)
			.withOwnerReferences((owner != null) ? List.of(owner) : List.of())
			.endMetadata()
			.withNewSpec()
			.withRestartPolicy("Never")
			.withServiceAccountName(serviceAccount)
			.withNodeSelector(template.getNodeSelector().isEmpty() ? null : template.getNodeSelector())
			.withTolerations(tolerations(template.getTolerations()))
			.addNewContainer()
			.withName(CONTAINER)
			.withImage(image)
			.withImagePullPolicy(imagePullPolicy)
			.withCommand(launch.command())
			.withEnv(environment)
			.withEnvFrom((master != null) ? master.environmentFrom() : List.of())
			.withNewResources()
			.withRequests(quantities(template.getRequests()))
			.withLimits(quantities(template.getLimits()))
			.endResources()
			.endContainer()
			.endSpec()
			.build();
	}

	static OwnerReference ownedBy(MasterPod master) {
		return new OwnerReferenceBuilder().withApiVersion("v1")
			.withKind("Pod")
			.withName(master.name())
			.withUid(master.uid())
			.withBlockOwnerDeletion(true)
			.build();
	}

	/**
	 * Returns a name the API server takes for a pod or a secret: lower case letters, digits and
	 * dashes, at most 63 characters, from a launch id (the worker's name and 32 hex digits).
	 * @param prefix what comes first
	 * @param launchId the launch id
	 * @return the name
	 */
	static String name(String prefix, String launchId) {
		String cleaned = (prefix + "-" + launchId).toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-]", "-");
		// The launch's random part, at the end, keeps the name unique when the worker's is cut short.
		return (cleaned.length() <= 63) ? cleaned : cleaned.substring(0, 30) + cleaned.substring(cleaned.length() - 33);
	}

	/**
	 * Returns a label value from any text: at most 63 letters, digits, dashes, dots and underscores,
	 * beginning and ending with a letter or digit.
	 * @param text the text
	 * @return the value
	 */
	static String labelValue(String text) {
		String cleaned = text.replaceAll("[^A-Za-z0-9._-]", "-");
		cleaned = (cleaned.length() <= 63) ? cleaned : cleaned.substring(0, 63);
		return cleaned.replaceAll("^[^A-Za-z0-9]+", "").replaceAll("[^A-Za-z0-9]+$", "");
	}

	private static Map<String, Quantity> quantities(Map<String, String> values) {
		if (values.isEmpty()) {
			return null;
		}
		Map<String, Quantity> quantities = new LinkedHashMap<>();
		values.forEach((resource, value) -> quantities.put(resource, new Quantity(value)));
		return quantities;
	}

	private static List<Toleration> tolerations(List<KubernetesProperties.Toleration> tolerations) {
		return tolerations.stream()
			.map((toleration) -> new TolerationBuilder().withKey(toleration.getKey())
				.withOperator(toleration.getOperator())
				.withValue(toleration.getValue())
				.withEffect(toleration.getEffect())
				.build())
			.toList();
	}

}
