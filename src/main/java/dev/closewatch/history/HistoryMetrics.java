package dev.closewatch.history;

import java.util.function.ToDoubleFunction;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.jspecify.annotations.Nullable;

/**
 * The history's meters: evictions by reason, and for a durable store the writer's queue,
 * what it wrote and dropped, and whether the store is up.
 */
class HistoryMetrics implements MeterBinder {

	static final String EVICTIONS = "closewatch.history.evictions";

	private final @Nullable InMemoryCloseEventHistory memory;

	private final @Nullable CloseEventWriter writer;

	private final @Nullable Retention retention;

	private HistoryMetrics(@Nullable InMemoryCloseEventHistory memory, @Nullable CloseEventWriter writer,
			@Nullable Retention retention) {
		this.memory = memory;
		this.writer = writer;
		this.retention = retention;
	}

	static HistoryMetrics memory(InMemoryCloseEventHistory history) {
		return new HistoryMetrics(history, null, null);
	}

	static HistoryMetrics durable(CloseEventWriter writer, Retention retention) {
		return new HistoryMetrics(null, writer, retention);
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		if (this.memory != null) {
			evictions(registry, "capacity", this.memory, InMemoryCloseEventHistory::evictions);
		}
		if (this.retention != null) {
			evictions(registry, "max-age", this.retention, Retention::evictedByAge);
			evictions(registry, "max-events", this.retention, Retention::evictedByCount);
		}
		CloseEventWriter writer = this.writer;
		FunctionCounter.builder("closewatch.history.dropped", writer, (w) -> (w != null) ? w.dropped() : 0)
			.description("Close events not stored because the write queue stayed full, or the store was down at "
					+ "shutdown")
			.register(registry);
		if (writer != null) {
			FunctionCounter.builder("closewatch.history.written", writer, CloseEventWriter::written)
				.description("Close events written to the history store")
				.register(registry);
			Gauge.builder("closewatch.history.write.queue", writer, CloseEventWriter::queued)
				.description("Close events waiting to be written to the history store")
				.baseUnit("events")
				.register(registry);
		}
		// the memory store is always up
		Gauge.builder("closewatch.history.store.up", writer, (w) -> (w == null || w.state().up()) ? 1 : 0)
			.description("Whether the last write to the history store succeeded")
			.register(registry);
	}

	private static <T> void evictions(MeterRegistry registry, String reason, T source, ToDoubleFunction<T> count) {
		FunctionCounter.builder(EVICTIONS, source, count)
			.description("Close events removed from the history: by capacity (memory store), max-age or max-events "
					+ "(retention)")
			.tag("reason", reason)
			.register(registry);
	}

}
