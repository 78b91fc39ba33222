package dev.closewatch.api;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.closewatch.upstream.UpstreamState;
import dev.closewatch.upstream.UpstreamStatus;
import dev.closewatch.upstream.Upstreams;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.assertj.MockMvcTester;

import static dev.closewatch.history.TestCloseEvents.closeEvent;
import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.BDDMockito.given;

@WebMvcTest(UpstreamsController.class)
@Import(FixedApiClock.class)
class UpstreamsControllerTests {

	private static final UpstreamStatus CHAT = new UpstreamStatus("chat", "wss://****@chat.example.com/ws",
			UpstreamState.OPEN, Instant.parse("2026-11-25T10:00:00Z"), null, 0, null, null, 42);

	private static final UpstreamStatus PRICES = new UpstreamStatus("prices", "wss://feed.example.com/prices",
			UpstreamState.WAITING_TO_RECONNECT, null, Instant.parse("2026-11-25T10:00:03Z"), 2,
			Instant.parse("2026-11-25T10:00:05.250Z"), closeEvent(7).code(1011).reason("overloaded").build(), 1234);

	@Autowired
	private MockMvcTester mvc;

	@MockitoBean
	private Upstreams upstreams;

	@Test
	void listsEveryUpstreamWithItsState() {
		given(this.upstreams.statuses()).willReturn(List.of(CHAT, PRICES));

		assertThat(this.mvc.get().uri("/api/v1/upstreams")).hasStatusOk()
			.hasContentType(MediaType.APPLICATION_JSON)
			.bodyJson()
			.isStrictlyEqualTo("""
					[
					  {
					    "name": "chat",
					    "url": "wss://****@chat.example.com/ws",
					    "state": "OPEN",
					    "openSince": "2026-11-25T10:00:00Z",
					    "disconnectedSince": null,
					    "attempt": 0,
					    "nextAttemptAt": null,
					    "lastClose": null,
					    "messagesReceived": 42,
					    "labels": {},
					    "closesLastHour": 0,
					    "uncleanClosesLastHour": 0,
					    "flapping": false,
					    "owner": null
					  },
					  {
					    "name": "prices",
					    "url": "wss://feed.example.com/prices",
					    "state": "WAITING_TO_RECONNECT",
					    "openSince": null,
					    "disconnectedSince": "2026-11-25T10:00:03Z",
					    "attempt": 2,
					    "nextAttemptAt": "2026-11-25T10:00:05.250Z",
					    "lastClose": {
					      "id": 7,
					      "upstream": "prices",
					      "startedAt": "2026-11-25T10:00:04.400Z",
					      "openedAt": "2026-11-25T10:00:04.500Z",
					      "closedAt": "2026-11-25T10:00:07Z",
					      "duration": "PT2.5S",
					      "code": 1011,
					      "reason": "overloaded",
					      "wasClean": true,
					      "errorEvent": false,
					      "initiator": "SERVER",
					      "phase": "OPEN",
					      "handshakeStatus": null,
					      "error": null,
					      "errorMessage": null,
					      "attempt": 1,
					      "messagesReceived": 0,
					      "wireCode": null,
					      "wireReason": null
					    },
					    "messagesReceived": 1234,
					    "labels": {},
					    "closesLastHour": 0,
					    "uncleanClosesLastHour": 0,
					    "flapping": false,
					    "owner": null
					  }
					]
					""");
	}

	@Test
	void returnsEmptyArrayWithoutUpstreams() {
		given(this.upstreams.statuses()).willReturn(List.of());

		assertThat(this.mvc.get().uri("/api/v1/upstreams")).hasStatusOk().bodyJson().isStrictlyEqualTo("[]");
	}

	@Test
	void returnsOneUpstreamByName() {
		given(this.upstreams.status("chat")).willReturn(Optional.of(CHAT));

		assertThat(this.mvc.get().uri("/api/v1/upstreams/chat")).hasStatusOk().bodyJson().isLenientlyEqualTo("""
				{"name": "chat", "state": "OPEN", "openSince": "2026-11-25T10:00:00Z", "messagesReceived": 42}
				""");
	}

	@Test
	void returnsNotFoundProblemForUnknownUpstream() {
		given(this.upstreams.status("nope")).willReturn(Optional.empty());

		assertThat(this.mvc.get().uri("/api/v1/upstreams/nope")).hasStatus(HttpStatus.NOT_FOUND)
			.hasContentType(MediaType.APPLICATION_PROBLEM_JSON)
			.bodyJson()
			.isStrictlyEqualTo("""
					{
					  "type": "https://closewatch.dev/problems/unknown-upstream",
					  "title": "Unknown upstream",
					  "status": 404,
					  "detail": "No upstream is named 'nope' (parameter 'name')",
					  "instance": "/api/v1/upstreams/nope",
					  "parameter": "name"
					}
					""");
	}

	@Test
	void filtersByEveryGivenLabel() {
		UpstreamStatus fx = new UpstreamStatus("fx", "wss://fx.example.com", UpstreamState.OPEN, null, null, 0, null,
				null, 0, Map.of("team", "payments", "env", "prod"));
		UpstreamStatus staging = new UpstreamStatus("fx-staging", "wss://fx.example.com", UpstreamState.OPEN, null,
				null, 0, null, null, 0, Map.of("team", "payments", "env", "staging"));
		given(this.upstreams.statuses()).willReturn(List.of(CHAT, fx, staging));

		assertThat(this.mvc.get().uri("/api/v1/upstreams?label=team=payments")).bodyJson()
			.extractingPath("$[*].name")
			.asArray()
			.containsExactly("fx", "fx-staging");
		assertThat(this.mvc.get().uri("/api/v1/upstreams?label=team=payments&label=env=prod")).bodyJson()
			.extractingPath("$[*].name")
			.asArray()
			.containsExactly("fx");
		assertThat(this.mvc.get().uri("/api/v1/upstreams?label=team")).hasStatus(HttpStatus.BAD_REQUEST)
			.bodyJson()
			.extractingPath("$.parameter")
			.isEqualTo("label");
	}

	@Test
	void returnsNotFoundForUnknownPath() {
		assertThat(this.mvc.get().uri("/api/v1/upstreams/chat/events")).hasStatus(HttpStatus.NOT_FOUND);
	}

}
