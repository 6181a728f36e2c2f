package io.vmworkers.autoconfigure;

import java.net.InetAddress;

import io.vmworkers.dispatch.Transport;
import io.vmworkers.dispatch.master.TcpWorkerListener;
import org.junit.jupiter.api.Test;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.ssl.DefaultSslBundleRegistry;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * {@code vmworkers.workers.<name>.transport} and {@code vmworkers.transport.tcp.*}: shared memory
 * unless a worker's own property says otherwise; the listener on the loopback address unless told
 * otherwise; a port out of range, or an SSL bundle that does not exist, fails naming the property.
 */
class TransportPropertiesTests {

	private final ApplicationContextRunner properties = new ApplicationContextRunner()
		.withUserConfiguration(PropertiesConfiguration.class);

	@Test
	void aWorkerUsesSharedMemoryUnlessItsPropertySaysTcp() {
		this.properties.withPropertyValues("vmworkers.workers.robot.transport=tcp").run((context) -> {
			VmWorkersProperties properties = context.getBean(VmWorkersProperties.class);
			assertThat(properties.settingsFor("other").transport()).isEqualTo(Transport.SHM);
			assertThat(properties.settingsFor("robot").transport()).isEqualTo(Transport.TCP);
		});
	}

	@Test
	void theListenerBindsTheLoopbackAddressUnlessToldOtherwise() {
		this.properties.run((context) -> assertThat(context.getBean(VmWorkersProperties.class).getTransport()
			.getTcp()
			.getBind()).isEqualTo(InetAddress.getLoopbackAddress()));
		this.properties.withPropertyValues("vmworkers.transport.tcp.bind=0.0.0.0", "vmworkers.transport.tcp.port=7070")
			.run((context) -> {
				VmWorkersProperties.Tcp tcp = context.getBean(VmWorkersProperties.class).getTransport().getTcp();
				assertThat(tcp.getBind().isAnyLocalAddress()).isTrue();
				assertThat(tcp.getPort()).isEqualTo(7070);
			});
	}

	@Test
	void aPortOutOfRangeFailsNamingTheProperty() {
		this.properties.withPropertyValues("vmworkers.transport.tcp.port=70000")
			.run((context) -> assertThatIllegalArgumentException()
				.isThrownBy(() -> context.getBean(VmWorkersProperties.class).tcpWorkerListener(null))
				.withMessageContaining("vmworkers.transport.tcp.port"));
	}

	@Test
	void anSslBundleThatDoesNotExistFailsNamingThePropertyAndWhereToDefineIt() {
		this.properties.withPropertyValues("vmworkers.transport.tcp.ssl.bundle=workers")
			.run((context) -> assertThatIllegalArgumentException()
				.isThrownBy(() -> context.getBean(VmWorkersProperties.class)
					.tcpWorkerListener(new DefaultSslBundleRegistry()))
				.withMessageContaining("vmworkers.transport.tcp.ssl.bundle=workers names no SSL bundle")
				.withMessageContaining("spring.ssl.bundle.pem.workers"));
	}

	@Test
	void withoutAnSslBundleTheListenerIsPlain() {
		this.properties.run((context) -> {
			TcpWorkerListener listener = context.getBean(VmWorkersProperties.class).tcpWorkerListener(null);
			assertThat(listener.sslBundle()).isNull();
		});
	}

	@Configuration(proxyBeanMethods = false)
	@EnableConfigurationProperties(VmWorkersProperties.class)
	static class PropertiesConfiguration {

	}

}
