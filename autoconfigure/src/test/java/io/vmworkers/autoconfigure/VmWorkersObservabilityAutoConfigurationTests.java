package io.vmworkers.autoconfigure;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vmworkers.actuate.CallLatencyMetrics;
import io.vmworkers.actuate.CallLatencyRecorder;
import io.vmworkers.actuate.ChannelMetrics;
import io.vmworkers.actuate.VmWorkersEndpoint;
import io.vmworkers.actuate.VmWorkersEndpointWebExtension;
import io.vmworkers.actuate.VmWorkersHealthContributor;
import io.vmworkers.actuate.WorkerSampler;
import io.vmworkers.dispatch.PoolSettings;
import io.vmworkers.dispatch.ReplicaHandle;
import io.vmworkers.dispatch.ReplicaRole;
import io.vmworkers.dispatch.VmDispatcher;
import io.vmworkers.dispatch.WorkerHandle;
import io.vmworkers.dispatch.WorkerObserver;
import io.vmworkers.dispatch.WorkerState;
import io.vmworkers.dispatch.master.LaunchPlan;
import org.junit.jupiter.api.Test;

import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.BDDMockito.given;
import static org.mockito.BDDMockito.willReturn;
import static org.mockito.Mockito.mock;

class VmWorkersObservabilityAutoConfigurationTests {

	private static final Class<?>[] OBSERVABILITY = { CallLatencyRecorder.class, WorkerSampler.class,
			VmWorkersEndpoint.class, VmWorkersEndpointWebExtension.class, VmWorkersHealthContributor.class,
			ChannelMetrics.class, CallLatencyMetrics.class };

	private final ApplicationContextRunner withoutRegistry = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(VmWorkersAutoConfiguration.class,
				VmWorkersMonitoringAutoConfiguration.class, VmWorkersEndpointAutoConfiguration.class,
				VmWorkersHealthAutoConfiguration.class, VmWorkersMetricsAutoConfiguration.class))
		.withPropertyValues("management.endpoints.web.exposure.include=vmworkers",
				"vmworkers.metrics.call-latency.enabled=true");

	private final ApplicationContextRunner runner = this.withoutRegistry
		.withUserConfiguration(RegistryConfiguration.class);

	@Test
	void masterGetsEndpointHealthAndMeters() {
		this.runner.run((context) -> {
			for (Class<?> type : OBSERVABILITY) {
				assertThat(context).hasSingleBean(type);
			}
			assertThat(context).hasBean("vmworkersHealthContributor");
			// Both observers reach the dispatcher; neither depends on it.
			assertThat(context.getBeansOfType(WorkerObserver.class)).hasSize(2);
			assertThat(context.getBean(WorkerSampler.class).isRunning()).isTrue();
		});
	}

	@Test
	void callLatencyTimerIsOptIn() {
		this.runner.withPropertyValues("vmworkers.metrics.call-latency.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(CallLatencyMetrics.class)
				.hasSingleBean(ChannelMetrics.class));
	}

	@Test
	void endpointIsAbsentWhenNotExposed() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(VmWorkersAutoConfiguration.class,
					VmWorkersMonitoringAutoConfiguration.class, VmWorkersEndpointAutoConfiguration.class))
			.run((context) -> assertThat(context).doesNotHaveBean(VmWorkersEndpoint.class)
				.doesNotHaveBean(VmWorkersEndpointWebExtension.class));
	}

	@Test
	void webExtensionIsAbsentWhenExposedOnlyOverJmx() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(VmWorkersAutoConfiguration.class,
					VmWorkersMonitoringAutoConfiguration.class, VmWorkersEndpointAutoConfiguration.class))
			.withPropertyValues("spring.jmx.enabled=true", "management.endpoints.jmx.exposure.include=vmworkers")
			.run((context) -> assertThat(context).hasSingleBean(VmWorkersEndpoint.class)
				.doesNotHaveBean(VmWorkersEndpointWebExtension.class));
	}

	@Test
	void endpointIsAbsentWhenItsAccessIsNone() {
		this.runner.withPropertyValues("management.endpoint.vmworkers.access=NONE")
			.run((context) -> assertThat(context).doesNotHaveBean(VmWorkersEndpoint.class));
	}

	@Test
	void healthContributorCanBeSwitchedOff() {
		this.runner.withPropertyValues("management.health.vmworkers.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(VmWorkersHealthContributor.class)
				.hasSingleBean(VmWorkersEndpoint.class));
	}

	@Test
	void healthJudgesEachWorkerByItsOwnHeartbeatTimeoutUnlessOneIsSetForHealth() {
		// A ready worker whose last heartbeat is 1.5 s old.
		ApplicationContextRunner robot = new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(VmWorkersHealthAutoConfiguration.class))
			.withUserConfiguration(OneSilentWorker.class);
		robot.run((context) -> assertThat(robotHealth(context)).isEqualTo(Status.DOWN));
		robot.withPropertyValues("vmworkers.workers.robot.heartbeat-timeout=5s")
			.run((context) -> assertThat(robotHealth(context)).isEqualTo(Status.UP));
		robot.withPropertyValues("vmworkers.heartbeat-timeout=5s")
			.run((context) -> assertThat(robotHealth(context)).isEqualTo(Status.UP));
		robot.withPropertyValues("vmworkers.workers.robot.heartbeat-timeout=5s", "vmworkers.health.heartbeat-timeout=1s")
			.run((context) -> assertThat(robotHealth(context)).isEqualTo(Status.DOWN));
	}

	@Test
	void poolWithFewerServingReplicasThanConfiguredIsDownOnlyWhenAsked() {
		ApplicationContextRunner pool = new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(VmWorkersHealthAutoConfiguration.class))
			.withUserConfiguration(OneDegradedPool.class);
		pool.run((context) -> assertThat(health(context, "pool")).isEqualTo(Status.UP));
		pool.withPropertyValues("vmworkers.health.down-below-replicas=true")
			.run((context) -> assertThat(health(context, "pool")).isEqualTo(Status.DOWN));
	}

	private static Status health(AssertableApplicationContext context, String worker) {
		HealthIndicator indicator = (HealthIndicator) context.getBean(VmWorkersHealthContributor.class)
			.getContributor(worker);
		return indicator.health().getStatus();
	}

	private static Status robotHealth(AssertableApplicationContext context) {
		HealthIndicator robot = (HealthIndicator) context.getBean(VmWorkersHealthContributor.class)
			.getContributor("robot");
		return robot.health().getStatus();
	}

	@Test
	void heartbeatTimeoutIsConfigurable() {
		this.runner.withPropertyValues("vmworkers.health.heartbeat-timeout=3s")
			.run((context) -> assertThat(context.getBean(VmWorkersHealthProperties.class).getHeartbeatTimeout())
				.isEqualTo(Duration.ofSeconds(3)));
	}

	@Test
	void nothingIsAddedWithoutTheActuator() {
		this.runner.withClassLoader(new FilteredClassLoader(Endpoint.class))
			.run((context) -> assertThat(context).hasNotFailed()
				.doesNotHaveBean(VmWorkersEndpoint.class)
				.doesNotHaveBean(VmWorkersEndpointWebExtension.class)
				.hasSingleBean(ChannelMetrics.class));
	}

	@Test
	void noHealthContributorWithoutSpringBootHealth() {
		this.runner.withClassLoader(new FilteredClassLoader("org.springframework.boot.health"))
			.run((context) -> assertThat(context).hasNotFailed()
				.doesNotHaveBean(VmWorkersHealthContributor.class)
				.hasSingleBean(VmWorkersEndpoint.class));
	}

	@Test
	void noMetersWithoutMicrometer() {
		this.withoutRegistry.withClassLoader(new FilteredClassLoader("io.micrometer.core"))
			.run((context) -> assertThat(context).hasNotFailed()
				.doesNotHaveBean(ChannelMetrics.class)
				.doesNotHaveBean(CallLatencyMetrics.class)
				.hasSingleBean(VmWorkersEndpoint.class));
	}

	@Test
	void noSamplerWithoutActuatorOrMicrometer() {
		this.withoutRegistry.withClassLoader(new FilteredClassLoader(Endpoint.class, MeterRegistry.class))
			.run((context) -> assertThat(context).hasNotFailed()
				.doesNotHaveBean(WorkerSampler.class)
				.doesNotHaveBean(CallLatencyRecorder.class));
	}

	@Test
	void eachBeanBacksOffWhenTheUserDefinesOne() {
		this.runner.withUserConfiguration(UserBeans.class).run((context) -> {
			assertThat(context.getBean(CallLatencyRecorder.class)).isSameAs(context.getBean("userRecorder"));
			assertThat(context.getBean(WorkerSampler.class)).isSameAs(context.getBean("userSampler"));
			assertThat(context.getBean(VmWorkersEndpoint.class)).isSameAs(context.getBean("userEndpoint"));
			assertThat(context.getBean(VmWorkersEndpointWebExtension.class))
				.isSameAs(context.getBean("userWebExtension"));
			assertThat(context.getBean(ChannelMetrics.class)).isSameAs(context.getBean("userChannelMetrics"));
			assertThat(context.getBean(CallLatencyMetrics.class)).isSameAs(context.getBean("userCallLatencyMetrics"));
		});
	}

	@Test
	void healthContributorBacksOffWhenTheUserDefinesAVmworkersHealthIndicator() {
		this.runner.withUserConfiguration(UserHealthIndicator.class).run((context) -> {
			assertThat(context).doesNotHaveBean(VmWorkersHealthContributor.class);
			assertThat(context).hasBean("vmworkersHealthIndicator");
		});
	}

	@Test
	void nothingWithoutADispatcher() {
		// A worker JVM has no dispatcher: none of this exists there.
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(VmWorkersMonitoringAutoConfiguration.class,
					VmWorkersEndpointAutoConfiguration.class, VmWorkersHealthAutoConfiguration.class,
					VmWorkersMetricsAutoConfiguration.class))
			.withUserConfiguration(RegistryConfiguration.class)
			.withPropertyValues("management.endpoints.web.exposure.include=vmworkers",
					"vmworkers.metrics.call-latency.enabled=true")
			.run((context) -> {
				for (Class<?> type : OBSERVABILITY) {
					assertThat(context).doesNotHaveBean(type);
				}
			});
	}

	@Configuration(proxyBeanMethods = false)
	static class RegistryConfiguration {

		@Bean
		SimpleMeterRegistry meterRegistry() {
			return new SimpleMeterRegistry();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UserBeans {

		private static final VmDispatcher NO_WORKERS = new VmDispatcher() {

			@Override
			public List<WorkerHandle> workers() {
				return List.of();
			}

			@Override
			public WorkerHandle worker(String name) {
				throw new IllegalArgumentException(name);
			}

		};

		@Bean
		CallLatencyRecorder userRecorder() {
			return new CallLatencyRecorder();
		}

		@Bean
		WorkerSampler userSampler() {
			return new WorkerSampler(NO_WORKERS, new CallLatencyRecorder());
		}

		@Bean
		VmWorkersEndpoint userEndpoint() {
			return new VmWorkersEndpoint(NO_WORKERS, userSampler());
		}

		@Bean
		VmWorkersEndpointWebExtension userWebExtension() {
			return new VmWorkersEndpointWebExtension(userEndpoint());
		}

		@Bean
		ChannelMetrics userChannelMetrics() {
			return new ChannelMetrics(NO_WORKERS, userSampler());
		}

		@Bean
		CallLatencyMetrics userCallLatencyMetrics() {
			return new CallLatencyMetrics();
		}

	}

	@Configuration(proxyBeanMethods = false)
	@EnableConfigurationProperties(VmWorkersProperties.class)
	static class OneSilentWorker {

		/** What vmworkers' own configuration makes: health reads each worker's settings there. */
		@Bean
		LaunchPlan robotPlan(VmWorkersProperties properties) {
			return new LaunchPlan("", List.of(), List.of(), List.of(), null, Map.of("robot",
					new LaunchPlan.Worker(Object.class, properties.settingsFor("robot"), PoolSettings.SINGLE)));
		}

		@Bean
		VmDispatcher robotDispatcher() {
			WorkerHandle robot = mock(WorkerHandle.class);
			given(robot.name()).willReturn("robot");
			given(robot.pid()).willReturn(4242L);
			given(robot.state()).willReturn(WorkerState.READY);
			given(robot.startedAt()).willReturn(Instant.now().minusSeconds(30));
			given(robot.heartbeatAge()).willReturn(Duration.ofMillis(1500));
			return new VmDispatcher() {

				@Override
				public List<WorkerHandle> workers() {
					return List.of(robot);
				}

				@Override
				public WorkerHandle worker(String name) {
					if (!name.equals("robot")) {
						throw new IllegalArgumentException(name);
					}
					return robot;
				}

			};
		}

	}

	@Configuration(proxyBeanMethods = false)
	@EnableConfigurationProperties(VmWorkersProperties.class)
	static class OneDegradedPool {

		@Bean
		VmDispatcher poolDispatcher() {
			ReplicaHandle serving = replica(0, WorkerState.READY);
			ReplicaHandle restarting = replica(1, WorkerState.RESTARTING);
			WorkerHandle pool = mock(WorkerHandle.class);
			given(pool.name()).willReturn("pool");
			given(pool.state()).willReturn(WorkerState.READY);
			willReturn(List.of(serving, restarting)).given(pool).replicas();
			return new VmDispatcher() {

				@Override
				public List<WorkerHandle> workers() {
					return List.of(pool);
				}

				@Override
				public WorkerHandle worker(String name) {
					if (!name.equals("pool")) {
						throw new IllegalArgumentException(name);
					}
					return pool;
				}

			};
		}

		private static ReplicaHandle replica(int index, WorkerState state) {
			ReplicaHandle replica = mock(ReplicaHandle.class);
			given(replica.index()).willReturn(index);
			given(replica.role()).willReturn(ReplicaRole.REPLICA);
			given(replica.pid()).willReturn(100L + index);
			given(replica.state()).willReturn(state);
			given(replica.heartbeatAge()).willReturn(Duration.ofMillis(100));
			return replica;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UserHealthIndicator {

		@Bean
		HealthIndicator vmworkersHealthIndicator() {
			return () -> Health.up().build();
		}

	}

}
