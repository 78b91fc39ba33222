package dev.closewatch.history;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.closewatch.closeevent.CloseEvent;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.CountAtBucket;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import static dev.closewatch.history.TestCloseEvents.closeEvent;
import static org.assertj.core.api.Assertions.assertThat;

class WriteLagTests {

	private static final Instant COMMITTED = Instant.parse("2026-12-06T01:00:00Z");

	private final WriteLag lag = new WriteLag(Clock.fixed(COMMITTED, ZoneOffset.UTC));

	@Test
	void timesEachEventOfTheBatchFromItsCloseToTheCommit() {
		SimpleMeterRegistry registry = new SimpleMeterRegistry();
		this.lag.bindTo(registry);

		this.lag.accept(List.of(closedBefore(1, Duration.ofMillis(3)), closedBefore(2, Duration.ofMillis(40)),
				closedBefore(3, Duration.ofSeconds(7))));

		Timer timer = registry.get(WriteLag.NAME).timer();
		assertThat(timer.count()).isEqualTo(3);
		assertThat(timer.max(TimeUnit.MILLISECONDS)).isEqualTo(7000);
		assertThat(timer.totalTime(TimeUnit.MILLISECONDS)).isEqualTo(7043);
		assertThat(cumulativeCount(timer, Duration.ofMillis(5))).isEqualTo(1);
		assertThat(cumulativeCount(timer, Duration.ofMillis(50))).isEqualTo(2);
		assertThat(cumulativeCount(timer, Duration.ofSeconds(5))).isEqualTo(2);
		assertThat(cumulativeCount(timer, Duration.ofSeconds(10))).isEqualTo(3);
	}

	@Test
	void countsAnEventClosedAfterTheCommitAsNoLag() {
		SimpleMeterRegistry registry = new SimpleMeterRegistry();
		this.lag.bindTo(registry);

		// the clock stepped back between the close and the commit
		this.lag.accept(List.of(closedBefore(1, Duration.ofSeconds(-2))));

		Timer timer = registry.get(WriteLag.NAME).timer();
		assertThat(timer.count()).isEqualTo(1);
		assertThat(timer.totalTime(TimeUnit.NANOSECONDS)).isZero();
	}

	@Test
	void recordsIntoEveryRegistryItIsBoundTo() {
		SimpleMeterRegistry first = new SimpleMeterRegistry();
		SimpleMeterRegistry second = new SimpleMeterRegistry();
		this.lag.accept(List.of(closedBefore(1, Duration.ofMillis(20))));
		this.lag.bindTo(first);
		this.lag.bindTo(second);

		this.lag.accept(List.of(closedBefore(2, Duration.ofMillis(20))));

		assertThat(first.get(WriteLag.NAME).timer().count()).isEqualTo(1);
		assertThat(second.get(WriteLag.NAME).timer().count()).isEqualTo(1);
	}

	@Test
	void publishesFixedBucketsFromFiveMillisecondsToFiveMinutes() {
		SimpleMeterRegistry registry = new SimpleMeterRegistry();
		this.lag.bindTo(registry);

		CountAtBucket[] buckets = registry.get(WriteLag.NAME).timer().takeSnapshot().histogramCounts();

		assertThat(buckets).extracting((bucket) -> bucket.bucket(TimeUnit.MILLISECONDS))
			.containsExactly(5.0, 10.0, 25.0, 50.0, 100.0, 250.0, 500.0, 1000.0, 2500.0, 5000.0, 10000.0, 30000.0,
					60000.0, 300000.0);
	}

	private static CloseEvent closedBefore(long id, Duration lag) {
		return closeEvent(id).closedAt(COMMITTED.minus(lag)).build();
	}

	private static double cumulativeCount(Timer timer, Duration bound) {
		for (CountAtBucket bucket : timer.takeSnapshot().histogramCounts()) {
			if (bucket.bucket(TimeUnit.NANOSECONDS) == bound.toNanos()) {
				return bucket.count();
			}
		}
		throw new AssertionError("no bucket at " + bound);
	}

}
