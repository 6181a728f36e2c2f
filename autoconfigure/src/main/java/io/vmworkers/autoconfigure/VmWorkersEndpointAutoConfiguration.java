package io.vmworkers.autoconfigure;

import io.vmworkers.actuate.VmWorkersEndpoint;
import io.vmworkers.actuate.VmWorkersEndpointWebExtension;
import io.vmworkers.actuate.WorkerSampler;
import io.vmworkers.dispatch.VmDispatcher;

import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.autoconfigure.endpoint.expose.EndpointExposure;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The {@code vmworkers} actuator endpoint, when the application has the actuator and exposes the
 * endpoint ({@code management.endpoints.web.exposure.include=vmworkers}).
 */
@AutoConfiguration(after = VmWorkersMonitoringAutoConfiguration.class)
@ConditionalOnClass({ Endpoint.class, ConditionalOnAvailableEndpoint.class })
public final class VmWorkersEndpointAutoConfiguration {

	// Nested: the endpoint conditions are only read once the actuator is known to be there.
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnAvailableEndpoint(VmWorkersEndpoint.class)
	@ConditionalOnBean({ VmDispatcher.class, WorkerSampler.class })
	static class EndpointConfiguration {

		@Bean
		@ConditionalOnMissingBean
		VmWorkersEndpoint vmWorkersEndpoint(VmDispatcher dispatcher, WorkerSampler sampler) {
			return new VmWorkersEndpoint(dispatcher, sampler);
		}

		@Bean
		@ConditionalOnMissingBean
		@ConditionalOnBean(VmWorkersEndpoint.class)
		@ConditionalOnAvailableEndpoint(endpoint = VmWorkersEndpoint.class, exposure = EndpointExposure.WEB)
		VmWorkersEndpointWebExtension vmWorkersEndpointWebExtension(VmWorkersEndpoint endpoint) {
			return new VmWorkersEndpointWebExtension(endpoint);
		}

	}

}
