package io.vmworkers.kubernetes;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.vmworkers.autoconfigure.VmWorkersAutoConfiguration;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * The {@code kubernetes} placement on a master: a {@link KubernetesClient} (the application's, or
 * one configured from the pod's service account or the kubeconfig) and the placement itself.
 */
@AutoConfiguration(before = VmWorkersAutoConfiguration.class)
@ConditionalOnClass(KubernetesClient.class)
@ConditionalOnProperty(name = "vmworkers.role", havingValue = "master", matchIfMissing = true)
@EnableConfigurationProperties(KubernetesProperties.class)
public class VmWorkersKubernetesAutoConfiguration {

	@Bean(destroyMethod = "close")
	@ConditionalOnMissingBean
	KubernetesClient vmWorkersKubernetesClient() {
		return new KubernetesClientBuilder().build();
	}

	@Bean
	KubernetesPlacement vmWorkersKubernetesPlacement(KubernetesClient client, KubernetesProperties properties,
			Environment environment) {
		return new KubernetesPlacement(client, properties,
				environment.getProperty("spring.application.name", "application"));
	}

}
