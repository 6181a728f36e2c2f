package io.vmworkers.actuate;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import io.vmworkers.actuate.VmWorkersEndpoint.WorkerDescriptor;
import io.vmworkers.dispatch.ExitInfo;
import io.vmworkers.dispatch.WorkerHandle;
import io.vmworkers.dispatch.WorkerState;
import org.junit.jupiter.api.Test;

import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.mockito.BDDMockito.given;
import static org.mockito.BDDMockito.then;
import static org.mockito.Mockito.never;

class VmWorkersEndpointTests {

	private final Instant started = Instant.now().minusSeconds(60);

	private final WorkerHandle robot = TestWorkers.ready("robot", 4242, this.started, Duration.ZERO);

	private final WorkerHandle camera = TestWorkers.ready("camera", 4343, this.started, Duration.ZERO);

	private final TestWorkers.Dispatcher dispatcher = new TestWorkers.Dispatcher(this.robot, this.camera);

	private final CallLatencyRecorder latencies = new CallLatencyRecorder();

	private final VmWorkersEndpoint endpoint = new VmWorkersEndpoint(this.dispatcher,
			new WorkerSampler(this.dispatcher, this.latencies));

	@Test
	void describesEveryWorkerInOrder() {
		assertThat(this.endpoint.workers().workers()).extracting(WorkerDescriptor::name)
			.containsExactly("robot", "camera");
	}

	@Test
	void describesAReadyWorker() {
		given(this.robot.statistics()).willReturn(TestWorkers.statistics(10, 100, 12, 120, 3, 1));
		this.latencies.callCompleted("robot", "move", 2_000_000, false);
		WorkerDescriptor robot = this.endpoint.worker("robot");
		assertThat(robot.state()).isEqualTo("ready");
		assertThat(robot.pid()).isEqualTo(4242);
		assertThat(robot.startedAt()).isEqualTo(this.started);
		assertThat(robot.uptimeMillis()).isBetween(59_000L, 70_000L);
		assertThat(robot.restarts()).isZero();
		assertThat(robot.heartbeatAgeMillis()).isBetween(0L, 5_000L);
		assertThat(robot.lastExit()).isNull();
		assertThat(robot.process().heapUsed()).isEqualTo(10_000_000);
		assertThat(robot.process().heapMax()).isEqualTo(64 * 1024 * 1024);
		assertThat(robot.channel().toWorker().messages()).isEqualTo(10);
		assertThat(robot.channel().toWorker().bytes()).isEqualTo(100);
		assertThat(robot.channel().toWorker().bytesWaiting()).isEqualTo(16);
		assertThat(robot.channel().toWorker().capacity()).isEqualTo(512 * 1024);
		assertThat(robot.channel().fromWorker().messages()).isEqualTo(12);
		assertThat(robot.channel().fromWorker().bytesWaiting()).isEqualTo(32);
		assertThat(robot.calls().completed()).isEqualTo(3);
		assertThat(robot.calls().failed()).isEqualTo(1);
		assertThat(robot.calls().sampled()).isOne();
		assertThat(robot.calls().p50Millis()).isEqualTo(2.0);
		assertThat(robot.calls().p99Millis()).isEqualTo(2.0);
	}

	@Test
	void describesAFailedWorkerWithTheSignalThatKilledIt() {
		given(this.robot.state()).willReturn(WorkerState.FAILED);
		given(this.robot.lastExit()).willReturn(new ExitInfo(4242, 137, "exit code 137 (SIGKILL, signal 9)",
				Instant.now(), false, List.of("last words")));
		WorkerDescriptor robot = this.endpoint.worker("robot");
		assertThat(robot.state()).isEqualTo("failed");
		assertThat(robot.pid()).isEqualTo(-1);
		assertThat(robot.uptimeMillis()).isNull();
		assertThat(robot.process().heapUsed()).isNull();
		assertThat(robot.lastExit().signal()).isEqualTo("SIGKILL");
		assertThat(robot.lastExit().exitCode()).isEqualTo(137);
		assertThat(robot.lastExit().expected()).isFalse();
		assertThat(robot.lastExit().outputTail()).containsExactly("last words");
	}

	@Test
	void anExitCodeIsNotASignal() {
		given(this.robot.lastExit())
			.willReturn(new ExitInfo(4242, 3, "exit code 3", Instant.now(), false, List.of()));
		assertThat(this.endpoint.worker("robot").lastExit().signal()).isNull();
	}

	@Test
	void unknownWorkerIsNull() {
		assertThat(this.endpoint.worker("nobody")).isNull();
		assertThat(this.endpoint.control("nobody", "restart")).isNull();
	}

	@Test
	void restartAndStopActOnTheNamedWorkerOnly() {
		this.endpoint.control("robot", "restart");
		then(this.robot).should().restart();
		this.endpoint.control("robot", "STOP");
		then(this.robot).should().close();
		then(this.camera).should(never()).restart();
		then(this.camera).should(never()).close();
	}

	@Test
	void unknownActionIsABadRequest() {
		assertThatExceptionOfType(InvalidEndpointRequestException.class)
			.isThrownBy(() -> this.endpoint.control("robot", "explode"))
			.withMessageContaining("restart")
			.withMessageContaining("stop");
		then(this.robot).should(never()).close();
	}

	@Test
	void webExtensionAnswers404ForAnUnknownWorker() {
		VmWorkersEndpointWebExtension extension = new VmWorkersEndpointWebExtension(this.endpoint);
		assertThat(extension.control("nobody", "stop").getStatus()).isEqualTo(WebEndpointResponse.STATUS_NOT_FOUND);
		WebEndpointResponse<WorkerDescriptor> response = extension.control("robot", "stop");
		assertThat(response.getStatus()).isEqualTo(WebEndpointResponse.STATUS_OK);
		assertThat(response.getBody().name()).isEqualTo("robot");
	}

}
