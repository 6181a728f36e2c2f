package io.vmworkers.it.placement;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.vmworkers.dispatch.Transport;
import io.vmworkers.dispatch.VmDispatcher;
import io.vmworkers.dispatch.WorkerHandle;
import io.vmworkers.dispatch.WorkerState;
import io.vmworkers.dispatch.master.RemoteLaunch;
import io.vmworkers.it.support.Workers;
import io.vmworkers.protocol.LaunchParameters;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;
import static org.awaitility.Awaitility.await;

/**
 * A worker placed elsewhere through a {@code WorkerPlacement} (here one that runs it on this
 * machine as another host would): it gets a command without anything of the master's machine,
 * dials the master at the address its placement gives, and is supervised as a child process is.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class PlacementIntegrationTests {

	private static ConfigurableApplicationContext context;

	private static PlacementApplication.NearbyPlacement placement;

	@BeforeAll
	static void start() {
		context = Workers.start(PlacementApplication.class, "vmworkers.workers.pingTask.placement=nearby");
		placement = context.getBean(PlacementApplication.NearbyPlacement.class);
	}

	@AfterAll
	static void stop() {
		Workers.closeAndCheckNothingLeft(context);
	}

	@Test
	void theWorkerRunsWhereItsPlacementPutsItOnTcp() {
		PingTask task = context.getBean(PingTask.class);
		assertThat(task.inc(1)).isEqualTo(2);
		WorkerHandle handle = context.getBean(VmDispatcher.class).worker("pingTask");
		assertThat(handle.transport()).isEqualTo(Transport.TCP);
		assertThat(task.pid()).isEqualTo(handle.pid());
		assertThat(Workers.channelFiles()).isEmpty();
	}

	@Test
	void itsCommandHoldsNothingOfTheMastersMachineAndItsAddressAndSecretAreLeftToThePlacement() {
		RemoteLaunch launch = placement.launches.get(placement.launches.size() - 1);
		assertThat(launch.command()).noneMatch((argument) -> argument.contains(LaunchParameters.MASTER_PID_PROPERTY)
				|| argument.startsWith("taskset") || argument.startsWith("@") || argument.contains("SharedArchiveFile")
				|| argument.contains(launch.secret()) || argument.contains(LaunchParameters.MASTER_ADDRESS_PROPERTY));
		assertThat(launch.environment()).containsEntry(RemoteLaunch.LAUNCH_ID_VARIABLE, launch.launchId())
			.doesNotContainKeys(RemoteLaunch.SECRET_VARIABLE, RemoteLaunch.MASTER_ADDRESS_VARIABLE);
		assertThat(launch.masterPort()).isEqualTo(context.getBean(VmDispatcher.class).tcpAddress().getPort());
	}

	@Test
	void aKilledWorkerIsPlacedAgain() {
		WorkerHandle handle = context.getBean(VmDispatcher.class).worker("pingTask");
		long pid = handle.pid();
		int launches = placement.launches.size();
		ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
		await().atMost(Duration.ofSeconds(60)).until(() -> handle.state() == WorkerState.READY && handle.pid() != pid);
		assertThat(placement.launches).hasSize(launches + 1);
		assertThat(context.getBean(PingTask.class).inc(2)).isEqualTo(3);
	}

	@Test
	void aPlacementNoModuleGivesFailsTheStartUpNamingIt() {
		assertThatException()
			.isThrownBy(() -> SpringApplication.run(PlacementApplication.class, "--spring.main.web-application-type=none",
					"--vmworkers.workers.pingTask.placement=moon"))
			.withStackTraceContaining("placement 'moon' is not known (known: [nearby])");
		assertThat(Workers.children()).noneMatch((child) -> child.pid() != placementWorkerPid());
	}

	private static long placementWorkerPid() {
		return context.getBean(VmDispatcher.class).worker("pingTask").pid();
	}

}
