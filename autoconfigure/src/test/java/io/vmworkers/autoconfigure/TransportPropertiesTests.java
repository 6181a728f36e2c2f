package io.vmworkers.autoconfigure;

import java.net.InetAddress;

import io.vmworkers.dispatch.Transport;
import io.vmworkers.dispatch.master.TcpWorkerListener;
import io.vmworkers.dispatch.master.TcpWorkerListeners;
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
	void aWorkerPlacedElsewhereUsesTcpAndCannotBeToldToUseSharedMemory() {
		this.properties.withPropertyValues("vmworkers.workers.robot.placement=kubernetes").run((context) -> {
			VmWorkersProperties properties = context.getBean(VmWorkersProperties.class);
			assertThat(properties.settingsFor("robot").transport()).isEqualTo(Transport.TCP);
			assertThat(properties.settingsFor("robot").local()).isFalse();
			assertThat(properties.settingsFor("other").local()).isTrue();
		});
		this.properties
			.withPropertyValues("vmworkers.workers.robot.placement=kubernetes", "vmworkers.workers.robot.transport=shm")
			.run((context) -> assertThatIllegalArgumentException()
				.isThrownBy(() -> context.getBean(VmWorkersProperties.class).settingsFor("robot"))
				.withMessageContaining("vmworkers.workers.robot.transport=shm"));
	}

	@Test
	void theListenerBindsTheLoopbackAddressUnlessToldOtherwiseOrAWorkerIsPlacedElsewhere() {
		this.properties.run((context) -> {
			VmWorkersProperties properties = context.getBean(VmWorkersProperties.class);
			assertThat(bind(properties, false)).isEqualTo(InetAddress.getLoopbackAddress());
			assertThat(bind(properties, true).isAnyLocalAddress()).isTrue();
		});
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
				.isThrownBy(() -> context.getBean(VmWorkersProperties.class).tcpWorkerListener(null, false))
				.withMessageContaining("vmworkers.transport.tcp.port"));
	}

	@Test
	void anSslBundleThatDoesNotExistFailsNamingThePropertyAndWhereToDefineIt() {
		this.properties.withPropertyValues("vmworkers.transport.tcp.ssl.bundle=workers")
			.run((context) -> assertThatIllegalArgumentException()
				.isThrownBy(() -> context.getBean(VmWorkersProperties.class)
					.tcpWorkerListener(new DefaultSslBundleRegistry(), false))
				.withMessageContaining("vmworkers.transport.tcp.ssl.bundle=workers names no SSL bundle")
				.withMessageContaining("spring.ssl.bundle.pem.workers"));
	}

	@Test
	void withoutAnSslBundleTheListenerIsPlain() {
		this.properties.run((context) -> {
			TcpWorkerListener listener = context.getBean(VmWorkersProperties.class).tcpWorkerListener(null, false);
			assertThat(listener.sslBundle()).isNull();
		});
	}

	/** Where a listener made from these properties listens, once it does. */
	private static InetAddress bind(VmWorkersProperties properties, boolean workersElsewhere) throws Exception {
		TcpWorkerListener listener = properties.tcpWorkerListener(null, workersElsewhere);
		try {
			return TcpWorkerListeners.listen(listener).getAddress();
		}
		finally {
			listener.close();
		}
	}

	@Configuration(proxyBeanMethods = false)
	@EnableConfigurationProperties(VmWorkersProperties.class)
	static class PropertiesConfiguration {

	}

}
