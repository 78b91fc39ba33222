package dev.closewatch.history;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Consumer;

import dev.closewatch.closeevent.CloseEvent;
import dev.closewatch.closeevent.Initiator;
import dev.closewatch.closeevent.Phase;

/**
 * Close events as a fleet of upstreams produces them over weeks, for
 * {@link HistoryStoreBenchmark}: most upstreams close now and then, a few flap and
 * produce a tenth of all events between them; clean closes with the common codes, dropped
 * connections (1006) and failed handshakes; each upstream's sessions follow one another
 * without overlapping. The same seed gives the same events.
 */
final class SyntheticCloseEvents {

	// share of all events that the flapping upstreams produce between them
	private static final double FLAPPING_SHARE = 0.1;

	private static final long MILLI = 1_000_000L;

	private final String[] upstreams;

	private final int flapping;

	private final long[] lastClose;

	private final int[] failures;

	private final SplittableRandom random;

	SyntheticCloseEvents(int upstreams, int flapping, long seed, Instant start) {
		this.upstreams = new String[upstreams];
		for (int i = 0; i < upstreams; i++) {
			this.upstreams[i] = ((i < flapping) ? "flapping-" : "feed-") + "%05d".formatted(i);
		}
		this.flapping = flapping;
		this.lastClose = new long[upstreams];
		this.failures = new int[upstreams];
		this.random = new SplittableRandom(seed);
		long from = CloseEventRows.nanos(start);
		for (int i = 0; i < upstreams; i++) {
			this.lastClose[i] = from - this.random.nextLong(3_600_000 * MILLI);
		}
	}

	String quietUpstream() {
		return this.upstreams[this.flapping + this.random.nextInt(this.upstreams.length - this.flapping)];
	}

	String flappingUpstream() {
		return this.upstreams[this.random.nextInt(this.flapping)];
	}

	int nextInt(int bound) {
		return this.random.nextInt(bound);
	}

	/**
	 * Produce {@code count} events closed between {@code start} and {@code end}, evenly
	 * spread with jitter, in close order, ids from {@code firstId} up.
	 * @param firstId the first event's id
	 * @param count how many events
	 * @param start the earliest close
	 * @param end the latest close
	 * @param batchSize how many events each call of {@code sink} gets
	 * @param sink takes each batch
	 */
	void generate(long firstId, long count, Instant start, Instant end, int batchSize,
			Consumer<List<CloseEvent>> sink) {
		long from = CloseEventRows.nanos(start);
		double step = (double) (CloseEventRows.nanos(end) - from) / count;
		List<CloseEvent> batch = new ArrayList<>(batchSize);
		for (long i = 0; i < count; i++) {
			batch.add(next(firstId + i, from + (long) ((i + this.random.nextDouble()) * step)));
			if (batch.size() == batchSize) {
				sink.accept(batch);
				batch = new ArrayList<>(batchSize);
			}
		}
		if (!batch.isEmpty()) {
			sink.accept(batch);
		}
	}

	/**
	 * Return the event with this id, closed at this instant, of an upstream picked as the
	 * fleet would produce it.
	 * @param id the id
	 * @param closedAt when it closed, nanoseconds since the epoch
	 * @return the event
	 */
	CloseEvent next(long id, long closedAt) {
		int upstream = (this.random.nextDouble() < FLAPPING_SHARE) ? this.random.nextInt(this.flapping)
				: this.flapping + this.random.nextInt(this.upstreams.length - this.flapping);
		long available = Math.max(closedAt - this.lastClose[upstream], 2 * MILLI);
		this.lastClose[upstream] = closedAt;
		String name = this.upstreams[upstream];
		Instant closed = CloseEventRows.instant(closedAt);
		double kind = this.random.nextDouble();
		if (kind < 0.1) {
			int attempt = ++this.failures[upstream];
			Instant started = closed.minusNanos(Math.min(available / 2, (5 + this.random.nextInt(200)) * MILLI));
			return handshakeFailure(id, name, started, closed, attempt);
		}
		int attempt = this.failures[upstream] + 1;
		this.failures[upstream] = 0;
		long session = (long) (available * (0.5 + 0.48 * this.random.nextDouble()));
		Instant opened = closed.minusNanos(session);
		Instant started = opened.minusNanos(Math.min((available - session) / 2, (2 + this.random.nextInt(40)) * MILLI));
		long messages = session / 1_000_000_000L * this.random.nextInt(1, 50);
		if (kind < 0.3) {
			String error = (kind < 0.25) ? "connection-lost" : "connection-reset";
			return new CloseEvent(id, name, started, opened, closed, Duration.ofNanos(session), 1006, "", false, false,
					Initiator.TRANSPORT, Phase.OPEN, null, error, (kind < 0.25) ? null : "Connection reset by peer",
					attempt, messages, null, null);
		}
		int code;
		String reason;
		if (kind < 0.75) {
			code = 1000;
			reason = (kind < 0.6) ? "" : "bye";
		}
		else if (kind < 0.83) {
			code = 1001;
			reason = "server shutting down";
		}
		else if (kind < 0.9) {
			code = 1011;
			reason = "internal error: upstream dependency unavailable";
		}
		else if (kind < 0.92) {
			code = 1012;
			reason = "service restart";
		}
		else {
			code = 4000 + this.random.nextInt(10);
			reason = "rebalance: shard " + this.random.nextInt(64) + " moved";
		}
		return new CloseEvent(id, name, started, opened, closed, Duration.ofNanos(session), code, reason, true, false,
				Initiator.SERVER, Phase.OPEN, null, null, null, attempt, messages, null, null);
	}

	private CloseEvent handshakeFailure(long id, String upstream, Instant started, Instant closed, int attempt) {
		int kind = this.random.nextInt(3);
		Integer status = (kind == 1) ? 503 : null;
		String error = switch (kind) {
			case 0 -> "connect-refused";
			case 1 -> "handshake-status";
			default -> "connect-timeout";
		};
		String message = switch (kind) {
			case 0 -> "Connection refused";
			case 1 -> "Failed to upgrade to websocket: Unexpected HTTP Response Status Code: 503 Service Unavailable";
			default -> "Connect timeout after 20000 ms";
		};
		return new CloseEvent(id, upstream, started, null, closed, Duration.between(started, closed), 1006, "", false,
				true, Initiator.TRANSPORT, Phase.HANDSHAKE, status, error, message, attempt, 0, null, null);
	}

}
