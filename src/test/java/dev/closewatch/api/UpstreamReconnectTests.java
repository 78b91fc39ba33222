package dev.closewatch.api;

import java.util.Optional;

import dev.closewatch.upstream.UpstreamState;
import dev.closewatch.upstream.UpstreamStatus;
import dev.closewatch.upstream.Upstreams;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpStatus;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.assertj.MockMvcTester;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.BDDMockito.given;
import static org.mockito.BDDMockito.then;
import static org.mockito.Mockito.never;

/**
 * {@code POST /api/v1/upstreams/{name}/reconnect}: disabled without an admin token,
 * guarded by it otherwise.
 */
class UpstreamReconnectTests {

	private static final UpstreamStatus RESUMED = new UpstreamStatus("prices", "wss://feed.example.com/prices",
			UpstreamState.CONNECTING, null, null, 1, null, null, 0);

	@Nested
	@WebMvcTest(controllers = UpstreamsController.class)
	@Import(FixedApiClock.class)
	class WithoutAdminToken {

		@Autowired
		private MockMvcTester mvc;

		@MockitoBean
		private Upstreams upstreams;

		@Test
		void refusesWritesWhileNoTokenIsConfigured() {
			assertThat(this.mvc.post()
				.uri("/api/v1/upstreams/prices/reconnect")
				.header("Authorization", "Bearer anything")).hasStatus(HttpStatus.FORBIDDEN)
				.bodyJson()
				.extractingPath("$.type")
				.isEqualTo("https://closewatch.dev/problems/write-disabled");
			then(this.upstreams).should(never()).reconnect("prices");
		}

	}

	@Nested
	@WebMvcTest(controllers = UpstreamsController.class, properties = "closewatch.api.admin-token=s3cret-admin")
	@Import(FixedApiClock.class)
	class WithAdminToken {

		@Autowired
		private MockMvcTester mvc;

		@MockitoBean
		private Upstreams upstreams;

		@Test
		void reconnectsWithTheRightToken() {
			given(this.upstreams.reconnect("prices")).willReturn(Optional.of(RESUMED));

			assertThat(this.mvc.post()
				.uri("/api/v1/upstreams/prices/reconnect")
				.header("Authorization", "Bearer s3cret-admin")).hasStatus(HttpStatus.ACCEPTED)
				.bodyJson()
				.extractingPath("$.state")
				.isEqualTo("CONNECTING");
		}

		@Test
		void asksForATokenWhenNoneIsSent() {
			assertThat(this.mvc.post().uri("/api/v1/upstreams/prices/reconnect")).hasStatus(HttpStatus.UNAUTHORIZED)
				.hasHeader("WWW-Authenticate", "Bearer realm=\"closewatch\"")
				.bodyJson()
				.extractingPath("$.type")
				.isEqualTo("https://closewatch.dev/problems/unauthorized");
			then(this.upstreams).should(never()).reconnect("prices");
		}

		@Test
		void rejectsAWrongTokenWithoutEchoingIt() {
			assertThat(
					this.mvc.post().uri("/api/v1/upstreams/prices/reconnect").header("Authorization", "Bearer guess"))
				.hasStatus(HttpStatus.FORBIDDEN)
				.bodyText()
				.doesNotContain("guess")
				.doesNotContain("s3cret-admin");
			then(this.upstreams).should(never()).reconnect("prices");
		}

		@Test
		void answersUnknownUpstreamWith404() {
			given(this.upstreams.reconnect("nope")).willReturn(Optional.empty());

			assertThat(this.mvc.post()
				.uri("/api/v1/upstreams/nope/reconnect")
				.header("Authorization", "Bearer s3cret-admin")).hasStatus(HttpStatus.NOT_FOUND)
				.bodyJson()
				.extractingPath("$.type")
				.isEqualTo("https://closewatch.dev/problems/unknown-upstream");
		}

	}

}
