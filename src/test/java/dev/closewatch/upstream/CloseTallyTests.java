package dev.closewatch.upstream;

import java.time.Instant;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Counting an upstream's closes of the last hour in minute buckets.
 */
class CloseTallyTests {

	private static final Instant T0 = Instant.parse("2026-11-25T10:00:30Z");

	private final CloseTally tally = new CloseTally();

	@Test
	void countsNothingBeforeTheFirstClose() {
		assertThat(this.tally.counts(T0)).isEqualTo(RecentCloses.NONE);
	}

	@Test
	void threeClosesInTenMinutesAreFlapping() {
		this.tally.add(T0, true);
		this.tally.add(T0.plusSeconds(240), false);
		assertThat(this.tally.counts(T0.plusSeconds(300)).flapping()).isFalse();

		this.tally.add(T0.plusSeconds(480), false);

		RecentCloses counts = this.tally.counts(T0.plusSeconds(500));
		assertThat(counts).isEqualTo(new RecentCloses(3, 2, 3));
		assertThat(counts.flapping()).isTrue();
	}

	@Test
	void forgetsClosesOlderThanTheirWindow() {
		this.tally.add(T0, false);
		this.tally.add(T0.plusSeconds(1800), true);

		assertThat(this.tally.counts(T0.plusSeconds(1800 + 60 * 10))).isEqualTo(new RecentCloses(2, 1, 0));
		assertThat(this.tally.counts(T0.plusSeconds(3600))).isEqualTo(new RecentCloses(1, 0, 0));
		assertThat(this.tally.counts(T0.plusSeconds(1800 + 3600))).isEqualTo(RecentCloses.NONE);
	}

	@Test
	void reusesAMinutesBucketAnHourLater() {
		this.tally.add(T0, false);
		this.tally.add(T0.plusSeconds(3600), true);

		assertThat(this.tally.counts(T0.plusSeconds(3600))).isEqualTo(new RecentCloses(1, 0, 1));
	}

}
