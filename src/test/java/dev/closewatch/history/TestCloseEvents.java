package dev.closewatch.history;

import java.time.Duration;
import java.time.Instant;

import dev.closewatch.closeevent.CloseEvent;
import dev.closewatch.closeevent.Initiator;
import dev.closewatch.closeevent.Phase;
import org.jspecify.annotations.Nullable;

/**
 * Builds {@link CloseEvent}s for tests: by default a clean 1000 close of upstream
 * {@code prices} after a 2.5 s session, closed {@code id} seconds after {@link #EPOCH}.
 */
public final class TestCloseEvents {

	/** The instant that event {@code 0} closes at. */
	public static final Instant EPOCH = Instant.parse("2026-11-25T10:00:00Z");

	private long id;

	private String upstream = "prices";

	private Instant closedAt;

	private @Nullable Instant openedAt;

	private Duration duration = Duration.ofMillis(2500);

	private int code = 1000;

	private String reason = "";

	private boolean wasClean = true;

	private Initiator initiator = Initiator.SERVER;

	private Phase phase = Phase.OPEN;

	private @Nullable String error;

	private TestCloseEvents(long id) {
		this.id = id;
		this.closedAt = EPOCH.plusSeconds(id);
		this.openedAt = this.closedAt.minus(this.duration);
	}

	/**
	 * Start building the event with this id.
	 * @param id the event id
	 * @return the builder
	 */
	public static TestCloseEvents closeEvent(long id) {
		return new TestCloseEvents(id);
	}

	public TestCloseEvents upstream(String upstream) {
		this.upstream = upstream;
		return this;
	}

	public TestCloseEvents code(int code) {
		this.code = code;
		return this;
	}

	public TestCloseEvents reason(String reason) {
		this.reason = reason;
		return this;
	}

	public TestCloseEvents wasClean(boolean wasClean) {
		this.wasClean = wasClean;
		return this;
	}

	public TestCloseEvents closedAt(Instant closedAt) {
		this.closedAt = closedAt;
		this.openedAt = closedAt.minus(this.duration);
		return this;
	}

	public TestCloseEvents sessionOf(Duration duration) {
		this.duration = duration;
		this.openedAt = this.closedAt.minus(duration);
		return this;
	}

	public TestCloseEvents error(String error) {
		this.error = error;
		return this;
	}

	/**
	 * Make it a refused connection: never opened, 1006, not clean.
	 * @return this builder
	 */
	public TestCloseEvents handshakeFailure() {
		this.openedAt = null;
		this.duration = Duration.ZERO;
		this.code = 1006;
		this.wasClean = false;
		this.initiator = Initiator.TRANSPORT;
		this.phase = Phase.HANDSHAKE;
		this.error = "connect-refused";
		return this;
	}

	public CloseEvent build() {
		Instant startedAt = (this.openedAt != null) ? this.openedAt.minusMillis(100) : this.closedAt.minusMillis(100);
		return new CloseEvent(this.id, this.upstream, startedAt, this.openedAt, this.closedAt, this.duration, this.code,
				this.reason, this.wasClean, this.phase == Phase.HANDSHAKE, this.initiator, this.phase, null, this.error,
				null, 1, 0, null, null);
	}

}
