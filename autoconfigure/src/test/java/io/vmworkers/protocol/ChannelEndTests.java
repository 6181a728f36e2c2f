package io.vmworkers.protocol;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import io.vmworkers.annotation.OnData;
import io.vmworkers.annotation.OnMaster;
import io.vmworkers.channel.ChannelClosedException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Data that a worker launched early sends before the master's {@code @OnData} methods are known.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ChannelEndTests {

	private final ChannelEnd end = new ChannelEnd("test", () -> {
	}, new Unconnected());

	@Test
	void heldDataReachesTheOnDataMethodsKnownAtReleaseInOrder() {
		Receiver receiver = new Receiver();
		this.end.hold();
		this.end.arrive("a", 0, null, null);
		this.end.arrive(1L, 0, null, null);
		this.end.arrive("b", 0, null, null);
		this.end.handlers(DataHandlers.of(receiver, Receiver.class, true));
		assertThat(receiver.received).isEmpty();
		this.end.release();
		this.end.arrive("c", 0, null, null);
		await().atMost(Duration.ofSeconds(10)).until(() -> receiver.received.size() == 3);
		assertThat(receiver.received).containsExactly("a", "b", "c");
		// No method takes a Long: it waits for next().
		assertThat((Long) this.end.poll()).isEqualTo(1L);
		assertThat((Object) this.end.poll()).isNull();
	}

	@Test
	void withoutHoldDataIsDeliveredAsItComes() {
		List<Object> before = new ArrayList<>();
		this.end.arrive("early", 0, null, null);
		before.add(this.end.poll());
		this.end.release();
		assertThat(before).containsExactly("early");
	}

	@Test
	void dataArrivingWhileReleasingComesAfterTheHeldData() throws Exception {
		Receiver receiver = new Receiver();
		this.end.handlers(DataHandlers.of(receiver, Receiver.class, true));
		this.end.hold();
		for (int i = 0; i < 1000; i++) {
			this.end.arrive("held-" + i, 0, null, null);
		}
		Thread late = new Thread(() -> {
			for (int i = 0; i < 1000; i++) {
				this.end.arrive("late-" + i, 0, null, null);
			}
		});
		late.start();
		this.end.release();
		late.join();
		await().atMost(Duration.ofSeconds(10)).until(() -> receiver.received.size() == 2000);
		List<String> received = receiver.received;
		assertThat(received).hasSize(2000);
		for (int i = 0; i < 1000; i++) {
			assertThat(received.get(i)).isEqualTo("held-" + i);
		}
		assertThat(received.subList(1000, 2000)).isSortedAccordingTo((x, y) -> Integer
			.compare(Integer.parseInt(x.substring(5)), Integer.parseInt(y.substring(5))));
	}

	@Test
	void deliveryThreadEndsWhenStoppedAndTheNextArrivalStartsAnother() {
		ChannelEnd stoppable = new ChannelEnd("stoppable", () -> {
		}, new Unconnected());
		Receiver receiver = new Receiver();
		stoppable.handlers(DataHandlers.of(receiver, Receiver.class, true));
		stoppable.arrive("before", 0, null, null);
		await().atMost(Duration.ofSeconds(10)).until(() -> receiver.received.size() == 1);
		assertThat(deliveryThreads()).isEqualTo(1);
		stoppable.stopDelivery();
		await().atMost(Duration.ofSeconds(10)).until(() -> deliveryThreads() == 0);
		stoppable.arrive("after", 0, null, null);
		await().atMost(Duration.ofSeconds(10)).until(() -> receiver.received.size() == 2);
		assertThat(receiver.received).containsExactly("before", "after");
		stoppable.stopDelivery();
	}

	private static long deliveryThreads() {
		return Thread.getAllStackTraces().keySet().stream()
			.filter((thread) -> thread.getName().equals("vmworkers-stoppable-data") && thread.isAlive())
			.count();
	}

	static class Receiver {

		final List<String> received = new CopyOnWriteArrayList<>();

		@OnData
		@OnMaster
		void text(String text) {
			this.received.add(text);
		}

	}

	/** The links of an end that never connects: only its queues are tested. */
	static final class Unconnected implements ChannelEnd.Links {

		@Override
		public Link forPut() {
			throw new ChannelClosedException("not connected");
		}

		@Override
		public Link reader() {
			throw new ChannelClosedException("not connected");
		}

		@Override
		public boolean isOpen() {
			return false;
		}

	}

}
