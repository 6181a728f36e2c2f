package io.vmworkers.kubernetes;

import java.util.List;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Pod;

/**
 * The master's own pod, as the API server describes it: the owner of the worker pods and the
 * source of their defaults (image, pull policy, service account, the application's configuration
 * in its container's environment) and of the address they dial.
 * @param name its name
 * @param uid its uid, for the owner reference
 * @param image its first container's image
 * @param imagePullPolicy that container's pull policy
 * @param serviceAccount its service account
 * @param ip its IP address, or null before it has one
 * @param environment its first container's environment variables
 * @param environmentFrom the ConfigMaps and Secrets that container takes variables from
 */
record MasterPod(String name, String uid, String image, String imagePullPolicy, String serviceAccount, String ip,
		List<EnvVar> environment, List<EnvFromSource> environmentFrom) {

	static MasterPod of(Pod pod) {
		Container container = pod.getSpec().getContainers().get(0);
		return new MasterPod(pod.getMetadata().getName(), pod.getMetadata().getUid(), container.getImage(),
				container.getImagePullPolicy(), pod.getSpec().getServiceAccountName(),
				(pod.getStatus() != null) ? pod.getStatus().getPodIP() : null,
				(container.getEnv() != null) ? List.copyOf(container.getEnv()) : List.of(),
				(container.getEnvFrom() != null) ? List.copyOf(container.getEnvFrom()) : List.of());
	}

}
