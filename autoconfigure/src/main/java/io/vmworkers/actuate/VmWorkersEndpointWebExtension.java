package io.vmworkers.actuate;

import io.vmworkers.actuate.VmWorkersEndpoint.WorkerDescriptor;

import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.boot.actuate.endpoint.web.annotation.EndpointWebExtension;
import org.springframework.util.Assert;

/**
 * The {@code vmworkers} endpoint over HTTP: answers 404 when a write names an unknown worker
 * (a write returning nothing would answer 204).
 */
@EndpointWebExtension(endpoint = VmWorkersEndpoint.class)
public class VmWorkersEndpointWebExtension {

	private final VmWorkersEndpoint delegate;

	/**
	 * Creates the extension.
	 * @param delegate the endpoint
	 */
	public VmWorkersEndpointWebExtension(VmWorkersEndpoint delegate) {
		Assert.notNull(delegate, "'delegate' must not be null");
		this.delegate = delegate;
	}

	/**
	 * Restarts or stops one worker: {@code POST /actuator/vmworkers/{name}} with
	 * {@code {"action":"restart"}} or {@code {"action":"stop"}} and
	 * {@code Content-Type: application/json}.
	 * @param name the worker's name
	 * @param action {@code restart} or {@code stop}
	 * @return the worker afterwards; 404 for an unknown worker, 400 for an unknown action
	 */
	@WriteOperation
	public WebEndpointResponse<WorkerDescriptor> control(@Selector String name, String action) {
		WorkerDescriptor worker = this.delegate.control(name, action);
		return (worker != null) ? new WebEndpointResponse<>(worker)
				: new WebEndpointResponse<>(WebEndpointResponse.STATUS_NOT_FOUND);
	}

}
