package dev.closewatch.upstream;

import java.time.Clock;

import dev.closewatch.reconnect.ReconnectProperties;
import org.junit.jupiter.api.Test;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Startup validation of {@code closewatch.*}: every bad value fails the boot with a
 * message naming the property, and never shows a secret.
 */
class UpstreamPropertiesTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withUserConfiguration(UpstreamsOnly.class);

	@Test
	void startsWithAValidUpstream() {
		this.runner
			.withPropertyValues("closewatch.upstreams.prices.url=wss://bob:pw@127.0.0.1:9/prices?token=abc&depth=5",
					"closewatch.upstreams.prices.headers.Authorization=Bearer t",
					"closewatch.upstreams.prices.subprotocols=v1,v2",
					"closewatch.upstreams.prices.reconnect.max-delay=10s")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				Upstreams upstreams = context.getBean(Upstreams.class);
				assertThat(upstreams.names()).containsExactly("prices");
				assertThat(upstreams.status("prices")).hasValueSatisfying((status) -> {
					assertThat(status.url()).isEqualTo("wss://******@127.0.0.1:9/prices?token=******&depth=5");
					assertThat(status.state()).isNotEqualTo(UpstreamState.STOPPED);
				});
			});
	}

	@Test
	void startsWithNoUpstreams() {
		this.runner.run((context) -> assertThat(context.getBean(Upstreams.class).names()).isEmpty());
	}

	@Test
	void rejectsUpstreamWithoutUrl() {
		this.runner.withPropertyValues("closewatch.upstreams.prices.on-open=hello")
			.run((context) -> assertFailure(context, "closewatch.upstreams.prices.url is required"));
	}

	@Test
	void rejectsNonWebSocketScheme() {
		this.runner.withPropertyValues("closewatch.upstreams.prices.url=https://feed.example.com/prices")
			.run((context) -> assertFailure(context, "closewatch.upstreams.prices.url must use ws:// or wss://"));
	}

	@Test
	void rejectsUrlWithFragment() {
		this.runner.withPropertyValues("closewatch.upstreams.prices.url=ws://feed.example.com/prices#top")
			.run((context) -> assertFailure(context, "closewatch.upstreams.prices.url must not have a fragment"));
	}

	@Test
	void rejectsUnparseableUrl() {
		this.runner.withPropertyValues("closewatch.upstreams.prices.url=ws://feed example com")
			.run((context) -> assertFailure(context, "closewatch.upstreams.prices.url"));
	}

	@Test
	void rejectsNameThatIsNotKebabCase() {
		this.runner.withPropertyValues("closewatch.upstreams.prices_feed.url=ws://feed.example.com/")
			.run((context) -> assertFailure(context, "lowercase kebab-case"));
	}

	@Test
	void rejectsTheNameTheSummaryOfAllUpstreamsHas() {
		this.runner.withPropertyValues("closewatch.upstreams.summary.url=ws://feed.example.com/")
			.run((context) -> assertFailure(context, "'summary' is reserved"));
	}

	@Test
	void rejectsUnknownKeyInsideAnUpstream() {
		this.runner
			.withPropertyValues("closewatch.upstreams.prices.url=ws://feed.example.com/",
					"closewatch.upstreams.prices.on-opem=hello")
			.run((context) -> assertFailure(context, "closewatch.upstreams.prices.on-opem"));
	}

	@Test
	void rejectsUnknownReconnectKeyInsideAnUpstream() {
		this.runner
			.withPropertyValues("closewatch.upstreams.prices.url=ws://feed.example.com/",
					"closewatch.upstreams.prices.reconnect.max-delays=10s")
			.run((context) -> assertFailure(context, "closewatch.upstreams.prices.reconnect.max-delays"));
	}

	@Test
	void rejectsNegativeConnectTimeout() {
		this.runner.withPropertyValues("closewatch.connect-timeout=-1s")
			.run((context) -> assertFailure(context, "closewatch.connect-timeout must be positive"));
	}

	@Test
	void rejectsNegativeTcpCloseTimeout() {
		this.runner.withPropertyValues("closewatch.tcp-close-timeout=-1s")
			.run((context) -> assertFailure(context, "closewatch.tcp-close-timeout must not be negative"));
	}

	@Test
	void rejectsDefaultMultiplierBelowOne() {
		this.runner.withPropertyValues("closewatch.reconnect.multiplier=0.5")
			.run((context) -> assertFailure(context, "closewatch.reconnect.multiplier must be at least 1"));
	}

	@Test
	void rejectsNegativeDefaultDelay() {
		this.runner.withPropertyValues("closewatch.reconnect.delay=-5s")
			.run((context) -> assertFailure(context, "closewatch.reconnect.delay must be positive"));
	}

	@Test
	void rejectsJitterOfOneOrMore() {
		this.runner.withPropertyValues("closewatch.reconnect.jitter=1.5")
			.run((context) -> assertFailure(context, "closewatch.reconnect.jitter"));
	}

	@Test
	void rejectsInvalidOverrideNamingTheUpstreamProperty() {
		this.runner
			.withPropertyValues("closewatch.upstreams.prices.url=ws://feed.example.com/",
					"closewatch.upstreams.prices.reconnect.max-delay=1ms")
			.run((context) -> assertFailure(context, "closewatch.upstreams.prices.reconnect.max-delay"));
	}

	@Test
	void rejectsInvalidHeaderName() {
		this.runner
			.withPropertyValues("closewatch.upstreams.prices.url=ws://feed.example.com/",
					"closewatch.upstreams.prices.headers[X Bad]=1")
			.run((context) -> assertFailure(context, "not a valid HTTP header name"));
	}

	@Test
	void rejectsRepeatedSubprotocol() {
		this.runner
			.withPropertyValues("closewatch.upstreams.prices.url=ws://feed.example.com/",
					"closewatch.upstreams.prices.subprotocols=v1,v1")
			.run((context) -> assertFailure(context, "closewatch.upstreams.prices.subprotocols must not repeat"));
	}

	@Test
	void rejectsTwoKindsOfCredentials() {
		this.runner
			.withPropertyValues("closewatch.upstreams.prices.url=ws://feed.example.com/",
					"closewatch.upstreams.prices.bearer-token=t", "closewatch.upstreams.prices.basic-auth.username=u",
					"closewatch.upstreams.prices.basic-auth.password=p")
			.run((context) -> assertFailure(context,
					"closewatch.upstreams.prices: set only one of bearer-token, bearer-token-file and basic-auth"));
	}

	@Test
	void rejectsAnUnknownSslBundle() {
		this.runner
			.withPropertyValues("closewatch.upstreams.prices.url=wss://127.0.0.1:9/",
					"closewatch.upstreams.prices.ssl-bundle=nope")
			.run((context) -> assertFailure(context,
					"closewatch.upstreams.prices.ssl-bundle: no SSL bundle named 'nope'"));
	}

	@Test
	void rejectsAnSslBundleOnAPlainUrl() {
		this.runner
			.withPropertyValues("closewatch.upstreams.prices.url=ws://127.0.0.1:9/",
					"closewatch.upstreams.prices.ssl-bundle=corp")
			.run((context) -> assertFailure(context, "closewatch.upstreams.prices.ssl-bundle needs a wss:// url"));
	}

	@Test
	void rejectsAStaleCodeABrowserCouldNotSend() {
		this.runner.withPropertyValues("closewatch.stale-code=1006")
			.run((context) -> assertFailure(context, "closewatch.stale-code must be 1000 or within 3000-4999"));
	}

	@Test
	void masksCredentialsInErrorMessages() {
		this.runner.withPropertyValues("closewatch.upstreams.prices.url=http://alice:s3cret@feed.example.com/")
			.run((context) -> {
				assertFailure(context, "******@feed.example.com");
				assertThat(allMessages(context.getStartupFailure())).doesNotContain("s3cret");
			});
	}

	private static void assertFailure(AssertableApplicationContext context, String expected) {
		assertThat(context).hasFailed();
		assertThat(allMessages(context.getStartupFailure())).contains(expected);
	}

	private static String allMessages(Throwable failure) {
		StringBuilder messages = new StringBuilder();
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			messages.append(cause.getMessage()).append('\n');
		}
		return messages.toString();
	}

	@Configuration(proxyBeanMethods = false)
	@EnableConfigurationProperties({ UpstreamProperties.class, ReconnectProperties.class })
	@Import(UpstreamConfiguration.class)
	static class UpstreamsOnly {

		@Bean
		Clock clock() {
			return Clock.systemUTC();
		}

		@Bean
		ThreadPoolTaskScheduler closewatchScheduler() {
			return new ThreadPoolTaskScheduler();
		}

	}

}
