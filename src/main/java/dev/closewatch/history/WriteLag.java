package dev.closewatch.history;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import dev.closewatch.closeevent.CloseEvent;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * Times each close event from its close to the commit of the batch that stored it, as
 * {@code closewatch.history.write.lag}. It is how far a durable store trails the
 * recording: the list shows an event only once it is committed, and a crash
 * ({@code kill -9}, an OOM kill) takes exactly the events closed within the lag. Told of
 * every committed batch on the writer's thread.
 * <p>
 * The histogram's buckets are fixed (5 ms to 5 min), so that a store that is slow, or
 * that was down and is catching up, shows in which bucket its events land, and so that
 * {@code histogram_quantile} works across replicas.
 */
final class WriteLag implements Consumer<List<CloseEvent>>, MeterBinder {

	static final String NAME = "closewatch.history.write.lag";

	private static final Duration[] BUCKETS = { Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25),
			Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500),
			Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10),
			Duration.ofSeconds(30), Duration.ofMinutes(1), Duration.ofMinutes(5) };

	private final Clock clock;

	// one per registry bound to; recorded only once bound
	private final List<Timer> timers = new CopyOnWriteArrayList<>();

	WriteLag(Clock clock) {
		this.clock = clock;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		this.timers.add(Timer.builder(NAME)
			.description("Time from a close to the commit that stored its event in the history store: events "
					+ "are listed only once committed, and a crash loses those closed within it")
			.serviceLevelObjectives(BUCKETS)
			.register(registry));
	}

	@Override
	public void accept(List<CloseEvent> batch) {
		if (this.timers.isEmpty()) {
			return;
		}
		Instant committed = this.clock.instant();
		for (CloseEvent event : batch) {
			// a clock stepped back (NTP) between the close and the commit is no lag
			long nanos = Math.max(0, Duration.between(event.closedAt(), committed).toNanos());
			for (Timer timer : this.timers) {
				timer.record(nanos, TimeUnit.NANOSECONDS);
			}
		}
	}

}
