package dev.closewatch.history;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import dev.closewatch.closeevent.CloseEvent;
import dev.closewatch.closeevent.Initiator;
import dev.closewatch.closeevent.Phase;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static dev.closewatch.history.TestCloseEvents.EPOCH;
import static dev.closewatch.history.TestCloseEvents.closeEvent;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * What every {@link CloseEventHistory} store does, run against each of them: memory,
 * SQLite and a real PostgreSQL.
 */
abstract class CloseEventHistoryContract {

	private HistoryFixture fixture;

	/**
	 * Create a history on an empty store.
	 */
	abstract HistoryFixture newFixture() throws Exception;

	@BeforeEach
	void createHistory() throws Exception {
		this.fixture = newFixture();
	}

	@AfterEach
	void closeHistory() throws Exception {
		this.fixture.close();
	}

	CloseEventHistory history() {
		return this.fixture.history();
	}

	void record(CloseEvent... events) {
		for (CloseEvent event : events) {
			history().record(event);
		}
		this.fixture.awaitStored();
	}

	private void recordFive() {
		record(closeEvent(1).upstream("prices").code(1000).build(),
				closeEvent(2).upstream("chat").code(1006).wasClean(false).build(),
				closeEvent(3).upstream("prices").code(1001).build(), closeEvent(4).upstream("chat").code(1000).build(),
				closeEvent(5).upstream("prices").code(1006).wasClean(false).build());
	}

	@Test
	void returnsEveryComponentAsRecorded() {
		CloseEvent full = new CloseEvent(42, "prices", Instant.parse("2026-11-25T10:00:00.123456789Z"),
				Instant.parse("2026-11-25T10:00:00.223456789Z"), Instant.parse("2026-11-25T10:05:00.000000001Z"),
				Duration.ofNanos(299_776_543_212L), 1002, "protocol \"error\" – ünïcode", false, true,
				Initiator.TRANSPORT, Phase.CLOSING, 503, "protocol-error", "Invalid close code: 999", 7, 9_876_543_210L,
				999, "wire reason");
		CloseEvent sparse = closeEvent(43).handshakeFailure().build();

		record(full, sparse);

		assertThat(history().find(all(10))).containsExactly(sparse, full);
	}

	@Test
	void answersARecentEventAsTheObjectRecorded() {
		CloseEvent event = closeEvent(1).build();

		record(event);

		assertThat(history().find(all(1)).get(0)).isSameAs(event);
	}

	@Test
	void returnsNewestFirst() {
		recordFive();

		assertThat(ids(history().find(all(10)))).containsExactly(5L, 4L, 3L, 2L, 1L);
	}

	@Test
	void keepsOneCopyWhenSameIdIsRecordedTwice() {
		record(closeEvent(1).build(), closeEvent(1).build());

		assertThat(ids(history().find(all(10)))).containsExactly(1L);
	}

	@Test
	void returnsIdOrderWhenEventsArriveOutOfOrder() {
		record(closeEvent(2).build(), closeEvent(1).build(), closeEvent(3).build());

		assertThat(ids(history().find(all(10)))).containsExactly(3L, 2L, 1L);
	}

	@Test
	void filtersByUpstream() {
		recordFive();

		assertThat(ids(history().find(query("chat", null, null, null, null, null, 10)))).containsExactly(4L, 2L);
	}

	@Test
	void filtersByCode() {
		recordFive();

		assertThat(ids(history().find(query(null, 1006, null, null, null, null, 10)))).containsExactly(5L, 2L);
	}

	@Test
	void filtersByWasClean() {
		recordFive();

		assertThat(ids(history().find(query(null, null, true, null, null, null, 10)))).containsExactly(4L, 3L, 1L);
		assertThat(ids(history().find(query(null, null, false, null, null, null, 10)))).containsExactly(5L, 2L);
	}

	@Test
	void includesSinceAndExcludesUntil() {
		recordFive();

		CloseEventQuery query = query(null, null, null, EPOCH.plusSeconds(2), EPOCH.plusSeconds(4), null, 10);

		assertThat(ids(history().find(query))).containsExactly(3L, 2L);
	}

	@Test
	void findsAnUpstreamsEventsByTimeAfterTheClockWasSetBack() {
		Instant later = EPOCH.plus(Duration.ofHours(3));
		record(closeEvent(1).upstream("prices").closedAt(later).build(),
				closeEvent(2).upstream("chat").closedAt(later).build(),
				closeEvent(3).upstream("prices").closedAt(EPOCH).build(),
				closeEvent(4).upstream("prices").closedAt(later.plusSeconds(61)).build());

		assertThat(ids(
				history().find(query("prices", null, null, EPOCH.minusSeconds(60), EPOCH.plusSeconds(3600), null, 10))))
			.containsExactly(3L);
		assertThat(ids(history().find(query("prices", null, null, later, later.plusSeconds(3600), null, 10))))
			.containsExactly(4L, 1L);
		assertThat(ids(history().find(query("prices", null, null, EPOCH, null, null, 10)))).containsExactly(4L, 3L, 1L);
		assertThat(ids(history().find(query("prices", null, null, null, EPOCH.plusSeconds(1), null, 10))))
			.containsExactly(3L);
		assertThat(ids(history().find(query("prices", null, null, EPOCH.plusSeconds(1), later, null, 10)))).isEmpty();
	}

	@Test
	void findsEveryUpstreamsEventsByTimeAfterTheClockWasSetBack() {
		Instant later = EPOCH.plus(Duration.ofHours(3));
		record(closeEvent(1).upstream("prices").closedAt(later).build(),
				closeEvent(2).upstream("chat").closedAt(later.plusSeconds(30)).build(),
				closeEvent(3).upstream("chat").closedAt(EPOCH).build(),
				closeEvent(4).upstream("prices").closedAt(later.plusSeconds(61)).build());

		assertThat(
				ids(history().find(query(null, null, null, EPOCH.minusSeconds(60), EPOCH.plusSeconds(3600), null, 10))))
			.containsExactly(3L);
		assertThat(ids(history().find(query(null, null, null, later, later.plusSeconds(3600), null, 10))))
			.containsExactly(4L, 2L, 1L);
		assertThat(ids(history().find(query(null, null, null, EPOCH, null, null, 10)))).containsExactly(4L, 3L, 2L, 1L);
		assertThat(ids(history().find(query(null, null, null, null, EPOCH.plusSeconds(1), null, 10))))
			.containsExactly(3L);
		assertThat(ids(history().find(query(null, 1000, null, null, later.plusSeconds(60), 3L, 10))))
			.containsExactly(2L, 1L);
		assertThat(ids(history().find(query(null, null, null, EPOCH.plusSeconds(1), later, null, 10)))).isEmpty();
	}

	@Test
	void returnsOnlyIdsBelowTheCursor() {
		recordFive();

		assertThat(ids(history().find(query(null, null, null, null, null, 4L, 10)))).containsExactly(3L, 2L, 1L);
	}

	@Test
	void pagesThroughEverythingByCursorWithoutGapsOrRepeats() {
		for (long id = 1; id <= 25; id++) {
			history().record(closeEvent(id).upstream((id % 2 == 0) ? "chat" : "prices").build());
		}
		this.fixture.awaitStored();

		List<Long> seen = new java.util.ArrayList<>();
		Long cursor = null;
		do {
			List<CloseEvent> page = history().find(query("prices", null, null, null, null, cursor, 4));
			page.forEach((event) -> seen.add(event.id()));
			cursor = (page.size() == 4) ? page.get(3).id() : null;
		}
		while (cursor != null);

		assertThat(seen).hasSize(13).isSortedAccordingTo(java.util.Comparator.reverseOrder()).doesNotHaveDuplicates();
	}

	@Test
	void returnsAtMostTheLimitNewestFirst() {
		recordFive();

		assertThat(ids(history().find(all(2)))).containsExactly(5L, 4L);
	}

	@Test
	void combinesFilters() {
		recordFive();

		CloseEventQuery query = query("prices", 1006, false, EPOCH, EPOCH.plusSeconds(10), 6L, 10);

		assertThat(ids(history().find(query))).containsExactly(5L);
	}

	@Test
	void returnsEmptyListWhenNothingMatches() {
		recordFive();

		assertThat(history().find(query("nobody", null, null, null, null, null, 10))).isEmpty();
	}

	@Test
	void findsRecentEventsIncludingTheNewest() {
		recordFive();

		assertThat(ids(history().findRecent(all(3)))).containsExactly(5L, 4L, 3L);
	}

	static CloseEventQuery all(int limit) {
		return query(null, null, null, null, null, null, limit);
	}

	static CloseEventQuery query(@Nullable String upstream, @Nullable Integer code, @Nullable Boolean wasClean,
			@Nullable Instant since, @Nullable Instant until, @Nullable Long beforeId, int limit) {
		return new CloseEventQuery(upstream, code, wasClean, since, until, beforeId, limit);
	}

	static List<Long> ids(List<CloseEvent> events) {
		return events.stream().map(CloseEvent::id).toList();
	}

	/**
	 * A history on an empty store, and what it takes to wait for it and close it.
	 */
	interface HistoryFixture extends AutoCloseable {

		CloseEventHistory history();

		/**
		 * Wait until everything recorded so far can be found.
		 */
		void awaitStored();

	}

}
