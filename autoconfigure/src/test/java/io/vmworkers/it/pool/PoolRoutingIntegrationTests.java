package io.vmworkers.it.pool;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import io.vmworkers.channel.WorkerChannel;
import io.vmworkers.dispatch.ReplicaHandle;
import io.vmworkers.dispatch.ReplicaRole;
import io.vmworkers.dispatch.WorkerHandle;
import io.vmworkers.dispatch.WorkerState;
import io.vmworkers.it.support.Workers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Where a pool of three replicas sends calls and data, and where what its replicas put arrives.
 * Nothing here stops a process: the tests share one pool.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PoolRoutingIntegrationTests {

	private static final Duration NEXT = Duration.ofSeconds(30);

	private static ConfigurableApplicationContext context;

	private static PoolTask task;

	private static WorkerHandle handle;

	private static List<Long> replicas;

	@BeforeAll
	void start() {
		context = Pools.start(Stream.concat(Stream.of(Pools.PREFIX + "replicas=3"), Stream.of(properties()))
			.toArray(String[]::new));
		task = context.getBean(PoolTask.class);
		handle = Pools.handle(context);
	}

	/** More of the master's properties: none here, a transport in a subclass. */
	String[] properties() {
		return new String[0];
	}

	@AfterAll
	void stop() {
		Workers.closeAndCheckNothingLeft(context);
	}

	@BeforeEach
	void awaitThreeReplicas() {
		replicas = Pools.awaitReady(handle, 3, 0);
	}

	@Test
	void poolOfThreeReplicasRunsThreeProcesses() {
		assertThat(handle.replicas()).extracting(ReplicaHandle::role).containsExactly(ReplicaRole.REPLICA,
				ReplicaRole.REPLICA, ReplicaRole.REPLICA);
		assertThat(replicas).doesNotHaveDuplicates().doesNotContain(ProcessHandle.current().pid());
		assertThat(handle.state()).isEqualTo(WorkerState.READY);
		assertThat(handle.pid()).isEqualTo(replicas.get(0));
		assertThat(handle.startCount()).isEqualTo(3);
	}

	@Test
	void callsFromSixThreadsSpreadOverTheThreeReplicas() throws Exception {
		Map<Long, Integer> callsPerPid = callConcurrently(6, 10, (thread, call) -> task.pidAfter(20));
		System.out.println("calls per pid from six threads: " + callsPerPid);
		assertThat(callsPerPid.keySet()).containsExactlyInAnyOrderElementsOf(replicas);
	}

	@Test
	void callsWithTheSameRoutingKeyReachTheSameReplica() throws Exception {
		// Overlapping calls from four threads: routing by load alone would spread them.
		Map<String, Set<Long>> pidsPerKey = new ConcurrentHashMap<>();
		callConcurrently(4, 50, (thread, call) -> {
			String key = "key-" + (call % 5);
			long pid = task.pidFor(key, 2);
			pidsPerKey.computeIfAbsent(key, (k) -> ConcurrentHashMap.newKeySet()).add(pid);
			return pid;
		});
		assertThat(pidsPerKey).hasSize(5).allSatisfy((key, pids) -> assertThat(pids).as(key).hasSize(1));
		assertThat(pidsPerKey.values().stream().flatMap(Set::stream)).isSubsetOf(replicas);
	}

	@Test
	void differentRoutingKeysSpreadOverTheReplicasTheSameWayEachTime() {
		Map<String, Long> first = new LinkedHashMap<>();
		for (int i = 0; i < 100; i++) {
			first.put("key-" + i, task.pidFor("key-" + i, 0));
		}
		Map<String, Long> second = new LinkedHashMap<>();
		for (int i = 99; i >= 0; i--) {
			second.put("key-" + i, task.pidFor("key-" + i, 0));
		}
		assertThat(new HashSet<>(first.values())).containsExactlyInAnyOrderElementsOf(replicas);
		assertThat(second).isEqualTo(first);
		// A null key routes as key 0, the hash code of "".
		assertThat(task.pidFor(null, 0)).isEqualTo(task.pidFor("", 0));
	}

	@Test
	void whatEveryReplicaPutsArrivesAtThePoolsChannelInOrderPerReplica() throws Exception {
		int threads = 6;
		int calls = 10;
		callConcurrently(threads, calls, (thread, call) -> {
			task.announce(10);
			return 0;
		});
		WorkerChannel channel = handle.channel();
		Map<Long, List<Long>> sequencesPerPid = new HashMap<>();
		for (int i = 0; i < threads * calls; i++) {
			Object received = channel.next(NEXT);
			assertThat(received).as("announcement %d of %d", i + 1, threads * calls)
				.isInstanceOf(Announcement.class);
			Announcement announcement = (Announcement) received;
			sequencesPerPid.computeIfAbsent(announcement.pid(), (pid) -> new ArrayList<>())
				.add(announcement.sequence());
		}
		assertThat((Object) channel.poll()).isNull();
		System.out.println("announcements per pid: " + sequencesPerPid);
		assertThat(sequencesPerPid.keySet()).containsExactlyInAnyOrderElementsOf(replicas);
		assertThat(sequencesPerPid).allSatisfy(
				(pid, sequences) -> assertThat(sequences).as("pid %d", pid).isSorted().doesNotHaveDuplicates());
	}

	@Test
	void whatIsPutToOneReplicasChannelReachesThatReplicaOnly() {
		List<? extends ReplicaHandle> places = handle.replicas();
		for (ReplicaHandle place : places) {
			WorkerChannel channel = place.channel();
			for (int i = 0; i < 5; i++) {
				channel.put(new Ping(i));
			}
			for (int i = 0; i < 5; i++) {
				Pong pong = channel.next(NEXT);
				assertThat(pong).as("answer %d from place %d", i, place.index()).isEqualTo(new Pong(i, place.pid()));
			}
		}
		for (ReplicaHandle place : places) {
			assertThat((Object) place.channel().poll()).as("left on place %d", place.index()).isNull();
		}
		assertThat((Object) handle.channel().poll()).isNull();
	}

	@Test
	void whatIsPutToThePoolsChannelIsHandledByOneReplicaEach() {
		int count = 30;
		WorkerChannel channel = handle.channel();
		for (int i = 0; i < count; i++) {
			channel.put(new Ping(i));
		}
		Map<Integer, Long> answeredBy = new HashMap<>();
		for (int i = 0; i < count; i++) {
			Pong pong = channel.next(NEXT);
			assertThat(pong).as("answer %d of %d", i + 1, count).isNotNull();
			assertThat(answeredBy.put(pong.sequence(), pong.pid())).as("ping %d answered twice", pong.sequence())
				.isNull();
		}
		assertThat(answeredBy.keySet()).hasSize(count);
		assertThat(answeredBy.values()).isSubsetOf(replicas);
		assertThat((Object) channel.poll()).isNull();
	}

	/**
	 * Makes calls from several threads at once and counts the pids that answered.
	 * @param threads how many threads, started together
	 * @param calls how many calls each makes
	 * @param call the call, given the thread's and the call's number, returns the pid
	 * @return how many calls each pid answered
	 */
	private static Map<Long, Integer> callConcurrently(int threads, int calls, NumberedCall call) throws Exception {
		ExecutorService executor = Executors.newFixedThreadPool(threads);
		try {
			CyclicBarrier together = new CyclicBarrier(threads);
			List<Callable<List<Long>>> tasks = new ArrayList<>();
			for (int t = 0; t < threads; t++) {
				int thread = t;
				tasks.add(() -> {
					together.await(30, TimeUnit.SECONDS);
					List<Long> pids = new ArrayList<>();
					for (int i = 0; i < calls; i++) {
						pids.add(call.call(thread, i));
					}
					return pids;
				});
			}
			Map<Long, Integer> callsPerPid = new HashMap<>();
			for (Future<List<Long>> result : executor.invokeAll(tasks)) {
				result.get().forEach((pid) -> callsPerPid.merge(pid, 1, Integer::sum));
			}
			return callsPerPid;
		}
		finally {
			executor.shutdownNow();
		}
	}

	@FunctionalInterface
	private interface NumberedCall {

		long call(int thread, int call) throws Exception;

	}

}
