package dev.closewatch.history;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import dev.closewatch.closeevent.CloseEvent;
import dev.closewatch.history.Availability.Outage;
import dev.closewatch.history.Availability.Sessions;
import dev.closewatch.history.CloseEventSummary.Group;
import dev.closewatch.history.SummaryQuery.Grouping;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static dev.closewatch.history.TestCloseEvents.closeEvent;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * What the {@link CloseEventStatistics} of every store answer, run against each of them:
 * memory, SQLite and a real PostgreSQL. Times are on 2026-11-25, UTC.
 */
abstract class CloseEventStatisticsContract {

	private @Nullable StatisticsFixture fixture;

	/**
	 * Create statistics on an empty store.
	 * @param startedAt when this closewatch process started
	 * @param clock the clock, whose instant is now
	 */
	abstract StatisticsFixture newFixture(Instant startedAt, Clock clock) throws Exception;

	@AfterEach
	void closeStore() throws Exception {
		if (this.fixture != null) {
			this.fixture.close();
		}
	}

	private StatisticsFixture start(String startedAt, String now) throws Exception {
		this.fixture = newFixture(at(startedAt), Clock.fixed(at(now), ZoneOffset.UTC));
		return this.fixture;
	}

	// prices: sessions 10:00-10:14, 10:30-11:00 (unclean), 11:15-11:40; refused at 10:21
	// and 10:25
	private StatisticsFixture pricesFrom10To12() throws Exception {
		StatisticsFixture fixture = start("10:00", "12:00");
		fixture.record(session(1, "prices", "10:00", "10:14").code(1000).build(), failure(2, "prices", "10:21"),
				failure(3, "prices", "10:25"),
				session(4, "prices", "10:30", "11:00").code(1006).wasClean(false).error("connection-lost").build(),
				session(5, "prices", "11:15", "11:40").code(1001).build(),
				session(6, "chat", "10:00", "11:59").code(1000).build());
		return fixture;
	}

	@Test
	void computesAvailabilityOfKnownSessionsAndFailedHandshakes() throws Exception {
		StatisticsFixture fixture = pricesFrom10To12();

		Availability availability = fixture.statistics().availability(query("prices", "10:00", "12:00", null));

		assertThat(availability.monitored()).isEqualTo(Duration.ofHours(2));
		assertThat(availability.unknown()).isZero();
		assertThat(availability.open()).isEqualTo(Duration.ofMinutes(14 + 30 + 25));
		assertThat(availability.availability()).isCloseTo(69.0 / 120, within(1e-9));
		assertThat(availability.closes()).isEqualTo(5);
		assertThat(availability.uncleanCloses()).isEqualTo(3);
		assertThat(availability.sessions()).isEqualTo(new Sessions(3, Duration.ofMinutes(23), Duration.ofMinutes(25)));
		assertThat(availability.longestOutage()).isEqualTo(outage("11:40", "12:00"));
	}

	@Test
	void countsTheSessionOpenNowUpToNow() throws Exception {
		StatisticsFixture fixture = pricesFrom10To12();

		Availability availability = fixture.statistics().availability(query("prices", "10:00", "12:00", "11:50"));

		assertThat(availability.open()).isEqualTo(Duration.ofMinutes(14 + 30 + 25 + 10));
		assertThat(availability.sessions().count()).isEqualTo(3);
		assertThat(availability.longestOutage()).isEqualTo(outage("10:14", "10:30"));
	}

	@Test
	void cutsSessionsAtTheEdgesOfTheWindow() throws Exception {
		StatisticsFixture fixture = pricesFrom10To12();

		Availability availability = fixture.statistics().availability(query("prices", "10:45", "11:30", null));

		assertThat(availability.monitored()).isEqualTo(Duration.ofMinutes(45));
		assertThat(availability.open()).isEqualTo(Duration.ofMinutes(15 + 15));
		assertThat(availability.availability()).isCloseTo(30.0 / 45, within(1e-9));
		assertThat(availability.closes()).isEqualTo(1);
		assertThat(availability.sessions()).isEqualTo(new Sessions(1, Duration.ofMinutes(30), Duration.ofMinutes(30)));
		assertThat(availability.longestOutage()).isEqualTo(outage("11:00", "11:15"));
	}

	@Test
	void startsAnOutageThatBeganBeforeTheWindowAtItsStart() throws Exception {
		StatisticsFixture fixture = pricesFrom10To12();

		Availability availability = fixture.statistics().availability(query("prices", "10:20", "10:40", null));

		assertThat(availability.open()).isEqualTo(Duration.ofMinutes(10));
		assertThat(availability.longestOutage()).isEqualTo(outage("10:20", "10:30"));
	}

	@Test
	void computesAvailabilityOfSessionsRecordedAfterTheClockWasSetBack() throws Exception {
		StatisticsFixture fixture = start("10:00", "12:00");
		// recorded first at 11:40; then the clock went back to 10:14
		fixture.record(session(1, "prices", "11:15", "11:40").code(1000).build(),
				session(2, "prices", "10:00", "10:14").code(1000).build(), failure(3, "prices", "10:21"),
				session(4, "prices", "10:30", "11:00").code(1006).wasClean(false).build());

		Availability availability = fixture.statistics().availability(query("prices", "10:00", "11:10", null));

		assertThat(availability.open()).isEqualTo(Duration.ofMinutes(14 + 30));
		assertThat(availability.closes()).isEqualTo(3);
		assertThat(availability.uncleanCloses()).isEqualTo(2);
		assertThat(availability.sessions()).isEqualTo(new Sessions(2, Duration.ofMinutes(22), Duration.ofMinutes(22)));
		assertThat(availability.longestOutage()).isEqualTo(outage("10:14", "10:30"));
	}

	@Test
	void keepsEveryFigureToTheUpstream() throws Exception {
		StatisticsFixture fixture = pricesFrom10To12();

		Availability availability = fixture.statistics().availability(query("chat", "10:00", "12:00", null));

		assertThat(availability.open()).isEqualTo(Duration.ofMinutes(119));
		assertThat(availability.closes()).isEqualTo(1);
		assertThat(availability.longestOutage()).isEqualTo(outage("11:59", "12:00"));
	}

	@Test
	void reportsTheWholeMonitoredWindowAsOutageWhenNothingEverOpened() throws Exception {
		StatisticsFixture fixture = start("10:00", "12:00");
		fixture.record(failure(1, "down", "10:10"), failure(2, "down", "10:20"));

		Availability availability = fixture.statistics().availability(query("down", "11:00", "12:00", null));

		assertThat(availability.open()).isZero();
		assertThat(availability.availability()).isZero();
		assertThat(availability.closes()).isZero();
		assertThat(availability.sessions()).isEqualTo(new Sessions(0, null, null));
		assertThat(availability.longestOutage()).isEqualTo(outage("11:00", "12:00"));
	}

	@Test
	void countsOverlappingSessionsOnce() throws Exception {
		StatisticsFixture fixture = start("10:00", "12:00");
		fixture.record(session(1, "prices", "10:00", "10:30").build(), session(2, "prices", "10:20", "10:40").build(),
				session(3, "prices", "10:35", "10:50").build(), session(4, "prices", "11:00", "12:00").build());

		Availability availability = fixture.statistics().availability(query("prices", "10:00", "12:00", null));

		assertThat(availability.open()).isEqualTo(Duration.ofMinutes(110));
		assertThat(availability.longestOutage()).isEqualTo(outage("10:50", "11:00"));
	}

	@Test
	void takesTheMedianOfAnEvenCountAsTheMeanOfTheMiddleTwo() throws Exception {
		StatisticsFixture fixture = start("10:00", "12:00");
		fixture.record(session(1, "prices", "10:00", "10:01").build(), session(2, "prices", "10:02", "10:05").build(),
				session(3, "prices", "10:06", "10:10").build(), session(4, "prices", "10:20", "10:40").build());

		Sessions sessions = fixture.statistics().availability(query("prices", "10:00", "12:00", null)).sessions();

		assertThat(sessions)
			.isEqualTo(new Sessions(4, Duration.ofSeconds((1 + 3 + 4 + 20) * 60 / 4), Duration.ofSeconds(210)));
	}

	@Test
	void treatsTimeBeforeThisProcessAndAfterNowAsUnknown() throws Exception {
		StatisticsFixture fixture = pricesFrom10To12();

		Availability availability = fixture.statistics().availability(query("prices", "09:00", "13:00", null));

		assertThat(availability.monitored()).isEqualTo(Duration.ofHours(2));
		assertThat(availability.unknown()).isEqualTo(Duration.ofHours(2));
		assertThat(availability.availability()).isCloseTo(69.0 / 120, within(1e-9));
		assertThat(availability.longestOutage()).isEqualTo(outage("11:40", "12:00"));
	}

	@Test
	void hasNoAvailabilityForAWindowNeverMonitored() throws Exception {
		StatisticsFixture fixture = pricesFrom10To12();

		Availability availability = fixture.statistics().availability(query("prices", "08:00", "09:00", null));

		assertThat(availability.monitored()).isZero();
		assertThat(availability.unknown()).isEqualTo(Duration.ofHours(1));
		assertThat(availability.availability()).isNull();
		assertThat(availability.longestOutage()).isNull();
	}

	@Test
	void countsARestartAsUnknownRatherThanOutage() throws Exception {
		StatisticsFixture fixture = start("11:20", "12:00");
		assumeTrue(fixture.recordsRuns(), "the store keeps no earlier runs");
		fixture.earlierRun("10:00", "11:00", true);
		fixture.record(session(1, "prices", "10:05", "10:50").build(), session(2, "prices", "10:52", "11:00").build(),
				session(3, "prices", "11:21", "11:50").build());

		Availability availability = fixture.statistics().availability(query("prices", "10:00", "12:00", null));

		assertThat(availability.monitored()).isEqualTo(Duration.ofMinutes(100));
		assertThat(availability.unknown()).isEqualTo(Duration.ofMinutes(20));
		assertThat(availability.open()).isEqualTo(Duration.ofMinutes(45 + 8 + 29));
		assertThat(availability.availability()).isCloseTo(82.0 / 100, within(1e-9));
		assertThat(availability.longestOutage()).isEqualTo(outage("11:50", "12:00"));
	}

	@Test
	void keepsTheKnownPartsOfAnOutageAcrossARestart() throws Exception {
		StatisticsFixture fixture = start("11:20", "12:00");
		assumeTrue(fixture.recordsRuns(), "the store keeps no earlier runs");
		fixture.earlierRun("10:00", "11:00", true);
		fixture.record(session(1, "prices", "10:00", "10:10").build(), session(2, "prices", "11:55", "12:00").build());

		Availability availability = fixture.statistics().availability(query("prices", "10:00", "12:00", null));

		assertThat(availability.longestOutage()).isEqualTo(outage("10:10", "11:00"));
	}

	@Test
	void endsACrashedRunAtItsLastHeartbeat() throws Exception {
		StatisticsFixture fixture = start("11:00", "12:00");
		assumeTrue(fixture.recordsRuns(), "the store keeps no earlier runs");
		fixture.earlierRun("10:00", "10:30", false);
		fixture.earlierRun("10:20", "10:40", true);

		Availability availability = fixture.statistics().availability(query("prices", "10:00", "12:00", null));

		assertThat(availability.monitored()).isEqualTo(Duration.ofMinutes(40 + 60));
		assertThat(availability.unknown()).isEqualTo(Duration.ofMinutes(20));
		assertThat(availability.longestOutage()).isEqualTo(outage("11:00", "12:00"));
	}

	@Test
	void findsTheLongestOutageWhenTheLongestGapsLieMostlyBetweenRuns() throws Exception {
		StatisticsFixture fixture = start("11:00", "11:30");
		assumeTrue(fixture.recordsRuns(), "the store keeps no earlier runs");
		// a session at minute 7 of every hour; closewatch ran only in each hour's first
		// ten minutes
		for (int hour = 0; hour <= 11; hour++) {
			if (hour < 11) {
				fixture.earlierRun("%02d:00".formatted(hour), "%02d:10".formatted(hour), true);
			}
			fixture.record(session(hour + 1, "prices", "%02d:07".formatted(hour), "%02d:08".formatted(hour)).build());
		}

		Availability availability = fixture.statistics().availability(query("prices", "00:00", "11:30", null));

		assertThat(availability.monitored()).isEqualTo(Duration.ofMinutes(11 * 10 + 30));
		assertThat(availability.longestOutage()).isEqualTo(outage("11:08", "11:30"));
	}

	// prices as above; chat 1000 at 10:00-11:59, 1006 ping-timeout and 4000 failing; one
	// too late
	private StatisticsFixture closesFrom10To12() throws Exception {
		StatisticsFixture fixture = pricesFrom10To12();
		fixture.record(session(7, "chat", "11:00", "11:10").code(1006).wasClean(false).error("ping-timeout").build(),
				session(8, "chat", "11:20", "11:30").code(4000).build(), session(9, "chat", "12:00", "12:05").build());
		return fixture;
	}

	@Test
	void summarizesByUpstream() throws Exception {
		StatisticsFixture fixture = closesFrom10To12();

		CloseEventSummary summary = fixture.statistics().summary(summary(Grouping.UPSTREAM, 10));

		assertThat(summary)
			.isEqualTo(new CloseEventSummary(8, 4, List.of(new Group("prices", 5, 3), new Group("chat", 3, 1))));
	}

	@Test
	void summarizesByCodeInOrderOfCountThenCode() throws Exception {
		StatisticsFixture fixture = closesFrom10To12();

		CloseEventSummary summary = fixture.statistics().summary(summary(Grouping.CODE, 10));

		assertThat(summary.groups()).containsExactly(new Group("1006", 4, 4), new Group("1000", 2, 0),
				new Group("1001", 1, 0), new Group("4000", 1, 0));
	}

	@Test
	void summarizesByErrorWithNoneForCleanSessions() throws Exception {
		StatisticsFixture fixture = closesFrom10To12();

		CloseEventSummary summary = fixture.statistics().summary(summary(Grouping.ERROR, 10));

		assertThat(summary.groups()).containsExactly(new Group("none", 4, 0), new Group("connect-refused", 2, 2),
				new Group("connection-lost", 1, 1), new Group("ping-timeout", 1, 1));
	}

	@Test
	void countsEveryGroupInTheTotalsBeyondTheLimit() throws Exception {
		StatisticsFixture fixture = closesFrom10To12();

		CloseEventSummary summary = fixture.statistics().summary(summary(Grouping.CODE, 1));

		assertThat(summary).isEqualTo(new CloseEventSummary(8, 4, List.of(new Group("1006", 4, 4))));
	}

	@Test
	void summarizesTheClosesOfTheWindowAfterTheClockWasSetBack() throws Exception {
		StatisticsFixture fixture = start("10:00", "12:00");
		// recorded first at 11:40 and 11:50; then the clock went back to 10:14
		fixture.record(session(1, "prices", "11:15", "11:40").code(1000).build(),
				session(2, "chat", "11:45", "11:50").code(1006).wasClean(false).build(),
				session(3, "prices", "10:00", "10:14").code(1000).build(), failure(4, "chat", "10:21"));

		CloseEventSummary early = fixture.statistics()
			.summary(new SummaryQuery(at("10:00"), at("11:00"), Grouping.UPSTREAM, 10));
		CloseEventSummary late = fixture.statistics()
			.summary(new SummaryQuery(at("11:40"), at("12:00"), Grouping.UPSTREAM, 10));

		assertThat(early)
			.isEqualTo(new CloseEventSummary(2, 1, List.of(new Group("chat", 1, 1), new Group("prices", 1, 0))));
		assertThat(late)
			.isEqualTo(new CloseEventSummary(2, 1, List.of(new Group("chat", 1, 1), new Group("prices", 1, 0))));
	}

	@Test
	void summarizesAnEmptyWindowAsNothing() throws Exception {
		StatisticsFixture fixture = closesFrom10To12();

		CloseEventSummary summary = fixture.statistics()
			.summary(new SummaryQuery(at("08:00"), at("09:00"), Grouping.UPSTREAM, 10));

		assertThat(summary).isEqualTo(new CloseEventSummary(0, 0, List.of()));
	}

	static Instant at(String time) {
		return Instant.parse("2026-11-25T" + time + ":00Z");
	}

	private static TestCloseEvents session(long id, String upstream, String openedAt, String closedAt) {
		return closeEvent(id).upstream(upstream)
			.closedAt(at(closedAt))
			.sessionOf(Duration.between(at(openedAt), at(closedAt)));
	}

	private static CloseEvent failure(long id, String upstream, String closedAt) {
		return closeEvent(id).upstream(upstream).closedAt(at(closedAt)).handshakeFailure().build();
	}

	private static AvailabilityQuery query(String upstream, String since, String until, @Nullable String openSince) {
		return new AvailabilityQuery(upstream, at(since), at(until), (openSince != null) ? at(openSince) : null);
	}

	private static SummaryQuery summary(Grouping by, int limit) {
		return new SummaryQuery(at("10:00"), at("12:00"), by, limit);
	}

	private static Outage outage(String start, String end) {
		return new Outage(at(start), at(end), Duration.between(at(start), at(end)));
	}

	/**
	 * Statistics on a store, and what it takes to fill it.
	 */
	interface StatisticsFixture extends AutoCloseable {

		CloseEventStatistics statistics();

		void record(CloseEvent... events) throws Exception;

		/**
		 * Whether the store keeps the runs of earlier closewatch processes.
		 */
		boolean recordsRuns();

		/**
		 * Record an earlier closewatch process.
		 * @param start when it started
		 * @param end when it stopped, or when it was last seen if it crashed
		 * @param stopped whether it stopped rather than crashed
		 */
		void earlierRun(String start, String end, boolean stopped);

	}

}
