package dev.closewatch.history;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.LongStream;

import dev.closewatch.closeevent.CloseEvent;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import static dev.closewatch.history.TestCloseEvents.EPOCH;
import static dev.closewatch.history.TestCloseEvents.closeEvent;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class InMemoryCloseEventHistoryTests {

	private final InMemoryCloseEventHistory history = new InMemoryCloseEventHistory(5);

	@Test
	void returnsNewestFirst() {
		recordIds(1, 2, 3);

		assertThat(ids(this.history.find(all(10)))).containsExactly(3L, 2L, 1L);
	}

	@Test
	void evictsOldestFirstWhenFull() {
		recordIds(1, 2, 3, 4, 5, 6, 7);

		assertThat(ids(this.history.find(all(10)))).containsExactly(7L, 6L, 5L, 4L, 3L);
		assertThat(this.history.evictions()).isEqualTo(2);
	}

	@Test
	void countsNoEvictionsWhileBelowCapacity() {
		recordIds(1, 2, 3, 4, 5);

		assertThat(this.history.evictions()).isZero();
	}

	@Test
	void keepsOneCopyWhenSameIdIsRecordedTwice() {
		recordIds(1, 2, 2, 1, 3, 3);

		assertThat(ids(this.history.find(all(10)))).containsExactly(3L, 2L, 1L);
		assertThat(this.history.evictions()).isZero();
	}

	@Test
	void keepsIdOrderWhenEventsArriveOutOfOrder() {
		recordIds(2, 5, 1, 4, 3);

		assertThat(ids(this.history.find(all(10)))).containsExactly(5L, 4L, 3L, 2L, 1L);
	}

	@Test
	void dropsAndCountsAnEventOlderThanEverythingKeptWhenFull() {
		recordIds(2, 3, 4, 5, 6);

		recordIds(1);

		assertThat(ids(this.history.find(all(10)))).containsExactly(6L, 5L, 4L, 3L, 2L);
		assertThat(this.history.evictions()).isEqualTo(1);
	}

	@Test
	void insertsALateEventAndEvictsTheOldestWhenFull() {
		recordIds(1, 2, 4, 5, 6);

		recordIds(3);

		assertThat(ids(this.history.find(all(10)))).containsExactly(6L, 5L, 4L, 3L, 2L);
		assertThat(this.history.evictions()).isEqualTo(1);
	}

	@Test
	void returnsAnUnmodifiableSnapshot() {
		recordIds(1);
		List<CloseEvent> found = this.history.find(all(10));

		recordIds(2);

		assertThat(ids(found)).containsExactly(1L);
		assertThat(found).isUnmodifiable();
	}

	@Test
	void rejectsCapacityBelowOne() {
		assertThatIllegalArgumentException().isThrownBy(() -> new InMemoryCloseEventHistory(0))
			.withMessageContaining("capacity");
	}

	@Nested
	class Find {

		private final InMemoryCloseEventHistory history = new InMemoryCloseEventHistory(100);

		Find() {
			this.history.record(closeEvent(1).upstream("prices").code(1000).build());
			this.history.record(closeEvent(2).upstream("chat").code(1006).wasClean(false).build());
			this.history.record(closeEvent(3).upstream("prices").code(1001).build());
			this.history.record(closeEvent(4).upstream("chat").code(1000).build());
			this.history.record(closeEvent(5).upstream("prices").code(1006).wasClean(false).build());
		}

		@Test
		void filtersByUpstream() {
			assertThat(ids(this.history.find(query("chat", null, null, null, null, null, 10)))).containsExactly(4L, 2L);
		}

		@Test
		void filtersByCode() {
			assertThat(ids(this.history.find(query(null, 1006, null, null, null, null, 10)))).containsExactly(5L, 2L);
		}

		@Test
		void filtersByWasClean() {
			assertThat(ids(this.history.find(query(null, null, true, null, null, null, 10)))).containsExactly(4L, 3L,
					1L);
		}

		@Test
		void includesSinceAndExcludesUntil() {
			CloseEventQuery query = query(null, null, null, EPOCH.plusSeconds(2), EPOCH.plusSeconds(4), null, 10);

			assertThat(ids(this.history.find(query))).containsExactly(3L, 2L);
		}

		@Test
		void returnsOnlyIdsBelowTheCursor() {
			assertThat(ids(this.history.find(query(null, null, null, null, null, 4L, 10)))).containsExactly(3L, 2L, 1L);
		}

		@Test
		void appliesTheCursorWhenItsEventIsNoLongerKept() {
			assertThat(ids(this.history.find(query(null, null, null, null, null, 100L, 2)))).containsExactly(5L, 4L);
		}

		@Test
		void returnsAtMostTheLimitNewestFirst() {
			assertThat(ids(this.history.find(all(2)))).containsExactly(5L, 4L);
		}

		@Test
		void combinesFilters() {
			CloseEventQuery query = query("prices", 1006, false, EPOCH, EPOCH.plusSeconds(10), 6L, 10);

			assertThat(ids(this.history.find(query))).containsExactly(5L);
		}

		@Test
		void returnsEmptyListWhenNothingMatches() {
			assertThat(this.history.find(query("nobody", null, null, null, null, null, 10))).isEmpty();
		}

	}

	@Nested
	class Indexes {

		private final InMemoryCloseEventHistory history = new InMemoryCloseEventHistory(6);

		@Test
		void findsAnUpstreamsEventsThroughOutOfOrderInsertsAndEviction() {
			for (long id : new long[] { 1, 3, 2, 6, 4, 5, 8, 7, 9, 10 }) {
				this.history.record(closeEvent(id).upstream((id % 3 == 0) ? "chat" : "prices").build());
			}

			assertThat(ids(this.history.find(query("prices", null, null, null, null, null, 10)))).containsExactly(10L,
					8L, 7L, 5L);
			assertThat(ids(this.history.find(query("chat", null, null, null, null, null, 10)))).containsExactly(9L, 6L);
			assertThat(ids(this.history.find(query("chat", null, null, null, null, 9L, 10)))).containsExactly(6L);
		}

		@Test
		void findsByCodeAndWasCleanThroughEviction() {
			for (long id = 1; id <= 10; id++) {
				this.history.record(closeEvent(id).code((id % 2 == 0) ? 1006 : 1000).wasClean(id % 2 != 0).build());
			}

			assertThat(ids(this.history.find(query(null, 1006, null, null, null, null, 10)))).containsExactly(10L, 8L,
					6L);
			assertThat(ids(this.history.find(query(null, null, true, null, null, null, 10)))).containsExactly(9L, 7L,
					5L);
			assertThat(ids(this.history.find(query(null, 1000, false, null, null, null, 10)))).isEmpty();
		}

		@Test
		void dropsAnUpstreamFromTheIndexWithItsLastEvent() {
			this.history.record(closeEvent(1).upstream("gone").build());
			for (long id = 2; id <= 7; id++) {
				this.history.record(closeEvent(id).upstream("prices").build());
			}

			assertThat(this.history.find(query("gone", null, null, null, null, null, 10))).isEmpty();
			assertThat(this.history.indexedUpstreams()).isEqualTo(1);
		}

		@Test
		void findsEventsClosedSinceAnInstantWhenClosedAtIsNotInIdOrder() {
			// closedAt in seconds after EPOCH by id 1-6: the clock stepped back after id
			// 2
			int[] closedAt = { 10, 30, 20, 25, 5, 40 };
			for (int i = 0; i < closedAt.length; i++) {
				this.history.record(closeEvent(i + 1).closedAt(EPOCH.plusSeconds(closedAt[i])).build());
			}

			assertThat(ids(this.history.find(query(null, null, null, EPOCH.plusSeconds(22), null, null, 10))))
				.containsExactly(6L, 4L, 2L);
		}

		@Test
		void findsALateInsertedEventClosedSinceAnInstant() {
			for (long id : new long[] { 1, 3, 4, 5 }) {
				this.history.record(closeEvent(id).closedAt(EPOCH.plusSeconds(id)).build());
			}

			this.history.record(closeEvent(2).closedAt(EPOCH.plusSeconds(9)).build());

			assertThat(ids(this.history.find(query(null, null, null, EPOCH.plusSeconds(6), null, null, 10))))
				.containsExactly(2L);
		}

		@Test
		void findsWhatAFullScanFindsThroughRandomRecordsAndEvictions() {
			Random random = new Random(42);
			InMemoryCloseEventHistory history = new InMemoryCloseEventHistory(200);
			FullScanHistory reference = new FullScanHistory(200);
			String[] upstreams = { "a", "b", "c", "d", "e", "f", "g" };
			int[] codes = { 1000, 1001, 1006, 4000 };
			long nextId = 1;
			List<Long> late = new ArrayList<>();
			for (int step = 0; step < 5_000; step++) {
				// ids mostly increase, some arrive late, some twice; closedAt is nearly
				// in id
				// order, and now and then far behind (a clock step)
				int dice = random.nextInt(20);
				if (dice == 0) {
					late.add(nextId++);
					continue;
				}
				long id = (dice == 1 && !late.isEmpty()) ? late.remove(random.nextInt(late.size()))
						: (dice == 2) ? Math.max(1, nextId - 1 - random.nextInt(20)) : nextId++;
				// an event recorded late closed late
				Instant closedAt = EPOCH.plusSeconds((dice == 1) ? nextId : id)
					.plusMillis(random.nextInt(6_000) - 3_000)
					.minusSeconds((random.nextInt(50) == 0) ? 100 : 0);
				CloseEvent event = closeEvent(id).upstream(upstreams[random.nextInt(upstreams.length)])
					.code(codes[random.nextInt(codes.length)])
					.wasClean(random.nextBoolean())
					.closedAt(closedAt)
					.build();
				history.record(event);
				reference.record(event);
				if (step % 10 == 0) {
					CloseEventQuery query = randomQuery(random, nextId, upstreams, codes);

					assertThat(ids(history.find(query))).as("%s", query)
						.containsExactlyElementsOf(ids(reference.find(query)));
				}
			}
			assertThat(history.evictions()).isEqualTo(reference.evictions);
			assertThat(history.indexedUpstreams()).isEqualTo(upstreams.length);
		}

		private static CloseEventQuery randomQuery(Random random, long nextId, String[] upstreams, int[] codes) {
			Instant since = (random.nextInt(3) == 0) ? EPOCH.plusSeconds(nextId - random.nextInt(250)) : null;
			Instant until = (random.nextInt(4) == 0) ? EPOCH.plusSeconds(nextId - random.nextInt(150)) : null;
			return query((random.nextInt(3) == 0) ? upstreams[random.nextInt(upstreams.length)] : null,
					(random.nextInt(4) == 0) ? codes[random.nextInt(codes.length)] : null,
					(random.nextInt(3) == 0) ? random.nextBoolean() : null, since, until,
					(random.nextInt(3) == 0) ? nextId - random.nextInt(250) : null, 1 + random.nextInt(60));
		}

	}

	/**
	 * What the history must behave like: a plain scan of every event kept.
	 */
	private static final class FullScanHistory {

		private final TreeMap<Long, CloseEvent> events = new TreeMap<>();

		private final int capacity;

		private long evictions;

		FullScanHistory(int capacity) {
			this.capacity = capacity;
		}

		void record(CloseEvent event) {
			if (this.events.containsKey(event.id())) {
				return;
			}
			if (this.events.size() == this.capacity) {
				this.evictions++;
				if (event.id() < this.events.firstKey()) {
					return;
				}
				this.events.pollFirstEntry();
			}
			this.events.put(event.id(), event);
		}

		List<CloseEvent> find(CloseEventQuery query) {
			return this.events.descendingMap()
				.values()
				.stream()
				.filter((event) -> query.beforeId() == null || event.id() < query.beforeId())
				.filter((event) -> query.upstream() == null || query.upstream().equals(event.upstream()))
				.filter((event) -> query.code() == null || query.code() == event.code())
				.filter((event) -> query.wasClean() == null || query.wasClean() == event.wasClean())
				.filter((event) -> query.since() == null || !event.closedAt().isBefore(query.since()))
				.filter((event) -> query.until() == null || event.closedAt().isBefore(query.until()))
				.limit(query.limit())
				.toList();
		}

	}

	@Nested
	class Concurrency {

		private static final int THREADS = 8;

		private static final int EVENTS_PER_THREAD = 5_000;

		@Test
		void recordsEveryEventOfConcurrentWritersExactlyOnce() throws Exception {
			InMemoryCloseEventHistory history = new InMemoryCloseEventHistory(THREADS * EVENTS_PER_THREAD);
			AtomicLong ids = new AtomicLong();

			runConcurrently(() -> {
				for (int i = 0; i < EVENTS_PER_THREAD; i++) {
					history.record(closeEvent(ids.incrementAndGet()).build());
				}
			});

			assertThat(ids(history.find(all(THREADS * EVENTS_PER_THREAD))))
				.containsExactlyElementsOf(descending(1, THREADS * EVENTS_PER_THREAD));
			assertThat(history.evictions()).isZero();
		}

		@Test
		void keepsOneCopyWhenConcurrentWritersRecordTheSameEvents() throws Exception {
			InMemoryCloseEventHistory history = new InMemoryCloseEventHistory(THREADS * EVENTS_PER_THREAD);
			List<CloseEvent> events = new ArrayList<>();
			for (long id = 1; id <= EVENTS_PER_THREAD; id++) {
				events.add(closeEvent(id).build());
			}

			runConcurrently(() -> events.forEach(history::record));

			assertThat(ids(history.find(all(THREADS * EVENTS_PER_THREAD))))
				.containsExactlyElementsOf(descending(1, EVENTS_PER_THREAD));
		}

		@Test
		void keepsTheNewestAndCountsEveryEvictionUnderConcurrentWriters() throws Exception {
			InMemoryCloseEventHistory history = new InMemoryCloseEventHistory(10_000);
			AtomicLong ids = new AtomicLong();

			runConcurrently(() -> {
				for (int i = 0; i < EVENTS_PER_THREAD; i++) {
					history.record(closeEvent(ids.incrementAndGet()).build());
				}
			});

			assertThat(ids(history.find(all(20_000)))).containsExactlyElementsOf(descending(30_001, 40_000));
			assertThat(history.evictions()).isEqualTo(30_000);
		}

		private void runConcurrently(Runnable writer) throws Exception {
			ExecutorService executor = Executors.newFixedThreadPool(THREADS);
			try {
				CountDownLatch start = new CountDownLatch(1);
				List<Future<?>> futures = new ArrayList<>();
				for (int i = 0; i < THREADS; i++) {
					futures.add(executor.submit(() -> {
						start.await();
						writer.run();
						return null;
					}));
				}
				start.countDown();
				for (Future<?> future : futures) {
					future.get(30, TimeUnit.SECONDS);
				}
			}
			finally {
				executor.shutdownNow();
			}
		}

		private static List<Long> descending(long from, long to) {
			return LongStream.rangeClosed(from, to).map((id) -> to - id + from).boxed().toList();
		}

	}

	@Test
	void findsAmongTenThousandEventsQuickly() {
		InMemoryCloseEventHistory history = new InMemoryCloseEventHistory(10_000);
		for (long id = 1; id <= 10_000; id++) {
			history.record(closeEvent(id).upstream((id % 2 == 0) ? "prices" : "chat").build());
		}
		CloseEventQuery matchesNothing = query("prices", 4999, null, null, null, null, 1000);
		CloseEventQuery pageOfOneUpstream = query("chat", null, true, null, null, 5_000L, 1000);

		long started = System.nanoTime();
		for (int i = 0; i < 200; i++) {
			assertThat(history.find(matchesNothing)).isEmpty();
			assertThat(history.find(pageOfOneUpstream)).hasSize(1000);
		}
		Duration elapsed = Duration.ofNanos(System.nanoTime() - started);

		assertThat(elapsed).isLessThan(Duration.ofSeconds(2));
	}

	private void recordIds(long... ids) {
		for (long id : ids) {
			this.history.record(closeEvent(id).build());
		}
	}

	private static CloseEventQuery all(int limit) {
		return query(null, null, null, null, null, null, limit);
	}

	private static CloseEventQuery query(@Nullable String upstream, @Nullable Integer code, @Nullable Boolean wasClean,
			@Nullable Instant since, @Nullable Instant until, @Nullable Long beforeId, int limit) {
		return new CloseEventQuery(upstream, code, wasClean, since, until, beforeId, limit);
	}

	private static List<Long> ids(List<CloseEvent> events) {
		return events.stream().map(CloseEvent::id).toList();
	}

}
