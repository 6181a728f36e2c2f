package io.vmworkers.kubernetes;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;

/**
 * The master's own pod, as the API server describes it: the owner of the worker pods and the
 * source of their defaults (image, pull policy, service account) and of the address they dial.
 * @param name its name
 * @param uid its uid, for the owner reference
 * @param image its first container's image
 * @param imagePullPolicy that container's pull policy
 * @param serviceAccount its service account
 * @param ip its IP address, or null before it has one
 */
record MasterPod(String name, String uid, String image, String imagePullPolicy, String serviceAccount, String ip) {

	static MasterPod of(Pod pod) {
		Container container = pod.getSpec().getContainers().get(0);
		return new MasterPod(pod.getMetadata().getName(), pod.getMetadata().getUid(), container.getImage(),
				container.getImagePullPolicy(), pod.getSpec().getServiceAccountName(),
				(pod.getStatus() != null) ? pod.getStatus().getPodIP() : null);
	}

}
