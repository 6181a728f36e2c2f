package io.vmworkers.dispatch;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class BatchTests {

	@Test
	void resultsComeBackInTheItemsOrder() {
		List<Integer> items = IntStream.range(0, 100).boxed().toList();
		assertThat(Batch.map(items, 4, (n) -> n * n)).containsExactlyElementsOf(items.stream().map((n) -> n * n).toList());
	}

	@Test
	void noMoreCallsThanTheConcurrencyRunAtOnceAndAsManyDo() throws Exception {
		AtomicInteger running = new AtomicInteger();
		AtomicInteger most = new AtomicInteger();
		CountDownLatch allThree = new CountDownLatch(3);
		Batch.map(IntStream.range(0, 30).boxed().toList(), 3, (n) -> {
			most.accumulateAndGet(running.incrementAndGet(), Math::max);
			allThree.countDown();
			try {
				// Every call waits until three run at once, so the batch proves it runs three.
				assertThat(allThree.await(10, TimeUnit.SECONDS)).isTrue();
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			running.decrementAndGet();
			return n;
		});
		assertThat(most.get()).isEqualTo(3);
	}

	@Test
	void theFirstFailureIsThrownAndItemsNotStartedAreNotCalled() {
		Set<Integer> called = ConcurrentHashMap.newKeySet();
		assertThatIllegalStateException().isThrownBy(() -> Batch.map(IntStream.range(0, 1000).boxed().toList(), 1, (n) -> {
			called.add(n);
			if (n == 5) {
				throw new IllegalStateException("item 5");
			}
			return n;
		})).withMessage("item 5");
		assertThat(called).containsExactlyInAnyOrderElementsOf(IntStream.rangeClosed(0, 5).boxed().toList());
	}

	@Test
	void anEmptyBatchReturnsAnEmptyList() {
		assertThat(Batch.map(new ArrayList<Integer>(), 2, (n) -> n)).isEmpty();
	}

	@Test
	void concurrencyBelowOneIsRefused() {
		assertThatIllegalArgumentException().isThrownBy(() -> Batch.map(List.of(1), 0, (n) -> n))
			.withMessageContaining("'concurrency' must be at least 1");
	}

}
