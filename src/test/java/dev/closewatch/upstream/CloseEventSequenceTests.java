package dev.closewatch.upstream;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.LongStream;

import dev.closewatch.closeevent.CloseEvent;
import dev.closewatch.closeevent.Initiator;
import dev.closewatch.closeevent.Phase;
import org.junit.jupiter.api.Test;

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
							return closeEvent(id);
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

		String result = sequence.publish((id) -> "event " + id, (built) -> closeEvent(42));

		assertThat(result).isEqualTo("event 42");
		assertThat(published).singleElement().extracting((event) -> ((CloseEvent) event).id()).isEqualTo(42L);
	}

	// a server's clean close; the history's test builder lives in a package this one may
	// not depend on (ArchitectureTests)
	private static CloseEvent closeEvent(long id) {
		Instant closedAt = Instant.parse("2026-11-25T10:00:00Z").plusMillis(id);
		return new CloseEvent(id, "prices", closedAt.minusSeconds(3), closedAt.minusSeconds(2), closedAt,
				Duration.ofSeconds(2), 1000, "", true, false, Initiator.SERVER, Phase.CLOSING, null, null, null, 1, 0,
				null, null);
	}

}
