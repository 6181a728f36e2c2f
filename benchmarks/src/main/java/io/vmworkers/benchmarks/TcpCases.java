package io.vmworkers.benchmarks;

import java.util.List;
import java.util.Map;

import io.vmworkers.channel.WorkerChannel;
import io.vmworkers.dispatch.VmDispatcher;

import org.springframework.context.ConfigurableApplicationContext;

/**
 * The TCP transport beside shared memory on this machine: a call and a {@code put}/{@code next}
 * ping-pong through a worker on TCP, interleaved with the same through a worker on shared memory
 * and with a plain TCP socket echo on loopback (the floor of any TCP transport).
 */
final class TcpCases {

	private final Plan plan;

	TcpCases(Plan plan) {
		this.plan = plan;
	}

	void run(Results results) throws Exception {
		try (SocketPeer sockets = SocketPeer.start();
				ConfigurableApplicationContext shm = Masters.start(BenchmarkApplication.CALLS);
				ConfigurableApplicationContext tcp = Masters.start(BenchmarkApplication.CALLS,
						"vmworkers.workers.echoTask.transport=tcp")) {
			RoundTrip shmCall = call("shm", shm);
			RoundTrip tcpCall = call("tcp", tcp);
			RoundTrip shmPingPong = pingPong("shm", shm);
			RoundTrip tcpPingPong = pingPong("tcp", tcp);
			RoundTrip socket = sockets.tcp();
			Map<RoundTrip, Samples> samples = RoundTrip.interleaved(this.plan,
					List.of(shmCall, tcpCall, shmPingPong, tcpPingPong, socket));
			Samples tcpCalls = samples.get(tcpCall);
			results.add(Row.info("call inc(int) over TCP vs shm, median", Units.latency(tcpCalls),
					Units.latency(samples.get(shmCall)), Units.times(tcpCalls.median() / samples.get(shmCall).median())));
			results.add(Row.info("call inc(int) over TCP vs a TCP socket echo, median", Units.nanos(tcpCalls.median()),
					Units.latency(samples.get(socket)), Units.times(tcpCalls.median() / samples.get(socket).median())));
			Samples tcpPings = samples.get(tcpPingPong);
			results.add(Row.info("put/next ping-pong over TCP vs shm, median", Units.latency(tcpPings),
					Units.latency(samples.get(shmPingPong)),
					Units.times(tcpPings.median() / samples.get(shmPingPong).median())));
		}
	}

	private static RoundTrip call(String transport, ConfigurableApplicationContext context) {
		EchoTask echo = context.getBean(EchoTask.class);
		return RoundTrip.of("call inc(int) on " + transport, echo::inc);
	}

	private static RoundTrip pingPong(String transport, ConfigurableApplicationContext context) {
		context.getBean(EchoTask.class).echo(true);
		WorkerChannel channel = context.getBean(VmDispatcher.class).worker("echoTask").channel();
		return RoundTrip.of("put/next ping-pong on " + transport, (value) -> {
			channel.put(value);
			return channel.<Integer>next();
		});
	}

}
