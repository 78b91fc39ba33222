package dev.closewatch.upstream;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.LongStream;

import dev.closewatch.closeevent.CloseEvent;
import org.junit.jupiter.api.Test;

import static dev.closewatch.history.TestCloseEvents.closeEvent;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Close event ids follow the order in which events become visible.
 */
class CloseEventSequenceTests {

	@Test
	void publishesEventsInIdOrderWhenManyThreadsEndAtOnce() throws Exception {
		List<Long> published = Collections.synchronizedList(new ArrayList<>());
		CloseEventSequence sequence = new CloseEventSequence(100, (event) -> published.add(((CloseEvent) event).id()));
		int threads = 4;
		int perThread = 2_000;
		CountDownLatch start = new CountDownLatch(1);
		ExecutorService executor = Executors.newFixedThreadPool(threads);
		try {
			List<Future<?>> done = new ArrayList<>();
			for (int t = 0; t < threads; t++) {
				done.add(executor.submit(() -> {
					start.await();
					for (int i = 0; i < perThread; i++) {
						sequence.publish((id) -> {
							if (id % 7 == 0) {
								// a builder that is slow now and then, as a descheduled
								// Jetty thread is
								LockSupport.parkNanos(20_000);
							}
							return closeEvent(id).build();
						}, (event) -> event);
					}
					return null;
				}));
			}
			start.countDown();
			for (Future<?> future : done) {
				future.get(30, TimeUnit.SECONDS);
			}
		}
		finally {
			executor.shutdownNow();
		}
		assertThat(published)
			.containsExactlyElementsOf(LongStream.rangeClosed(101, 100 + threads * perThread).boxed().toList());
	}

	@Test
	void returnsWhatTheBuilderMadeAfterPublishingItsEvent() {
		List<Object> published = new ArrayList<>();
		CloseEventSequence sequence = new CloseEventSequence(41, published::add);

		String result = sequence.publish((id) -> "event " + id, (built) -> closeEvent(42).build());

		assertThat(result).isEqualTo("event 42");
		assertThat(published).singleElement().extracting((event) -> ((CloseEvent) event).id()).isEqualTo(42L);
	}

}
