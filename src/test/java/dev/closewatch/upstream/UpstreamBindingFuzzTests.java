package dev.closewatch.upstream;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import org.junit.jupiter.api.BeforeAll;

import org.springframework.boot.context.properties.bind.BindHandler;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Any configuration of upstreams binds through {@link UpstreamsBindHandler} exactly as
 * through Boot's own map binding: the same properties, or a failure with the same
 * message. The handler exists only to be faster (docs/performance.md), so any difference
 * is a bug.
 */
class UpstreamBindingFuzzTests {

	private static final List<String> NAMES = List.of("prices", "chat", "a", "u00001", "Prices", "bad_name", "-x",
			"x".repeat(64), "9");

	private static final List<String> KEYS = List.of("url", "headers.Authorization", "headers.bad header",
			"subprotocols", "subprotocols[0]", "subprotocols[1]", "on-open", "reconnect.delay", "reconnect.max-delay",
			"reconnect.multiplier", "reconnect.jitter", "reconnect.max-retries", "reconnect.strategy",
			"reconnect.rules[0].codes", "reconnect.rules[0].action", "reconnect.rules[0].delay",
			"reconnect.rules[0].handshake-status", "ping-interval", "pong-timeout", "stale-after", "stale-code",
			"max-message-size", "ssl-bundle", "bearer-token", "bearer-token-file", "basic-auth.username",
			"basic-auth.password", "basic-auth.password-file");

	private static final List<String> VALUES = List.of("ws://127.0.0.1:9/x", "wss://bob:pw@feed.example.com/p?token=t",
			"https://example.com", "ws://[::1]:9/", " ws://127.0.0.1:9/trim ", "ws://", "ws://h/#f", "1s", "-1s", "0",
			"10", "1.5", "abc", "4000", "999", "4400-4499", "stop", "delay", "reconnect", "1MB", "-1KB", "v1,v1",
			"v1, v2", "", "${missing}", "a:b");

	// both bindings failing alike would pass the property: make sure binding works at all
	// in this JVM (Jazzer's instrumentation of the records broke it once)
	@BeforeAll
	static void bindsAValidConfiguration() {
		Map<String, Object> valid = Map.of("closewatch.upstreams.prices.url", "ws://127.0.0.1:9/prices",
				"closewatch.upstreams.prices.reconnect.rules[0].codes", "4400-4499",
				"closewatch.upstreams.prices.reconnect.rules[0].action", "stop");

		assertThat(bind(valid, BindHandler.DEFAULT).failure()).isNull();
		assertThat(bind(valid, new UpstreamsBindHandler(BindHandler.DEFAULT, Binder::new)).failure()).isNull();
	}

	@FuzzTest(maxDuration = "60s")
	void bindsEveryConfigurationAsBootsMapBindingDoes(FuzzedDataProvider data) {
		Map<String, Object> properties = new LinkedHashMap<>();
		int count = data.consumeInt(0, 8);
		for (int i = 0; i < count; i++) {
			String name = data.pickValue(NAMES);
			String key = data.pickValue(KEYS);
			String value = data.consumeBoolean() ? data.pickValue(VALUES) : data.consumeString(40);
			properties.put("closewatch.upstreams." + name + "." + key, value);
		}

		Outcome handled = bind(properties, new UpstreamsBindHandler(BindHandler.DEFAULT, Binder::new));
		Outcome alone = bind(properties, BindHandler.DEFAULT);

		assertThat(handled).isEqualTo(alone);
		// a binder that cannot bind at all would pass the comparison
		assertThat(Objects.toString(alone.failure(), "")).doesNotContain("Unable to create instance");
	}

	private static Outcome bind(Map<String, Object> properties, BindHandler handler) {
		try {
			UpstreamProperties bound = new Binder(new MapConfigurationPropertySource(properties))
				.bindOrCreate("closewatch", Bindable.of(UpstreamProperties.class), handler);
			return new Outcome(bound, null);
		}
		catch (RuntimeException ex) {
			Throwable root = ex;
			while (root.getCause() != null && root.getCause() != root) {
				root = root.getCause();
			}
			return new Outcome(null, root.getClass().getName() + ": " + Objects.toString(root.getMessage(), ""));
		}
	}

	private record Outcome(UpstreamProperties properties, String failure) {
	}

}
