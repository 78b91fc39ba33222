package dev.closewatch.health;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import dev.closewatch.upstream.UpstreamState;
import dev.closewatch.upstream.UpstreamStatus;
import dev.closewatch.upstream.Upstreams;
import org.junit.jupiter.api.Test;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

import static dev.closewatch.history.TestCloseEvents.closeEvent;
import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.mock;

class UpstreamsHealthIndicatorTests {

	private static final Instant NOW = Instant.parse("2026-11-25T10:00:00Z");

	@Test
	void reportsUpWhileEveryUpstreamIsDown() {
		Health health = health(new UpstreamStatus("prices", "ws://x", UpstreamState.GAVE_UP, null, NOW, 7, null,
				closeEvent(1).handshakeFailure().build(), 0));

		assertThat(health.getStatus()).isEqualTo(Status.UP);
		assertThat(health.getDetails()).containsOnlyKeys("prices");
	}

	@Test
	void reportsOpenUpstreamWithOpenSinceAndWithoutLastClose() {
		Health health = health(new UpstreamStatus("prices", "ws://x", UpstreamState.OPEN, NOW, null, 1, null, null, 3));

		assertThat(health.getDetails().get("prices"))
			.isEqualTo(Map.of("state", UpstreamState.OPEN, "openSince", NOW, "attempt", 1));
	}

	@Test
	void reportsLastCloseOfDisconnectedUpstream() {
		Instant next = NOW.plusSeconds(2);
		Health health = health(new UpstreamStatus("prices", "ws://x", UpstreamState.WAITING_TO_RECONNECT, null, NOW, 2,
				next, closeEvent(5).code(1011).reason("overloaded").build(), 0));

		assertThat(health.getDetails().get("prices")).isEqualTo(Map.of("state", UpstreamState.WAITING_TO_RECONNECT,
				"disconnectedSince", NOW, "attempt", 2, "nextAttemptAt", next, "lastClose", Map.of("code", 1011,
						"reason", "overloaded", "wasClean", true, "closedAt", closeEvent(5).build().closedAt())));
	}

	// a mock, so that methods main adds to Upstreams need no change here
	private static Health health(UpstreamStatus... statuses) {
		Upstreams upstreams = mock(Upstreams.class);
		given(upstreams.statuses()).willReturn(List.of(statuses));
		return new UpstreamsHealthIndicator(upstreams).health();
	}

}
