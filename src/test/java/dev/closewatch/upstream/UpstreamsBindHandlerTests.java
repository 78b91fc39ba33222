package dev.closewatch.upstream;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.BindHandler;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.MapPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Binding {@code closewatch.upstreams} through {@link UpstreamsBindHandler} gives what
 * Boot's own map binding gives, values and errors alike.
 */
class UpstreamsBindHandlerTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withUserConfiguration(PropertiesOnly.class);

	@Test
	void bindsTheSameUpstreamsAsBootsMapBinding() {
		this.runner
			.withPropertyValues("closewatch.startup-spread=2s", "closewatch.upstreams.prices.url=wss://127.0.0.1:9/p",
					"closewatch.upstreams.prices.headers.X-Feed=prices",
					"closewatch.upstreams.prices.subprotocols=v2.prices,v1.prices",
					"closewatch.upstreams.prices.on-open={\"subscribe\":\"ticker\"}",
					"closewatch.upstreams.prices.reconnect.max-delay=10s",
					"closewatch.upstreams.prices.reconnect.rules[0].codes=4400-4499",
					"closewatch.upstreams.prices.reconnect.rules[0].action=stop",
					"closewatch.upstreams.prices.ping-interval=5s", "closewatch.upstreams.prices.stale-code=4001",
					"closewatch.upstreams.prices.max-message-size=64KB",
					"closewatch.upstreams.chat.url=ws://127.0.0.1:9/chat",
					"closewatch.upstreams.chat.basic-auth.username=bob",
					"closewatch.upstreams.chat.basic-auth.password=${chat.password}", "chat.password=s3cret",
					"closewatch.upstreams.plain.url=ws://127.0.0.1:9/plain")
			.run((context) -> {
				UpstreamProperties bound = context.getBean(UpstreamProperties.class);

				assertThat(bound.upstreams()).containsOnlyKeys("prices", "chat", "plain");
				assertThat(bound).isEqualTo(bindWithBootAlone(context));
				assertThat(bound.upstreams().get("chat").basicAuth().password()).isEqualTo("s3cret");
			});
	}

	@Test
	void bindsManyUpstreamsAsBootsMapBindingDoes() {
		this.runner
			.withInitializer((context) -> context.getEnvironment()
				.getPropertySources()
				.addLast(new MapPropertySource("upstreams.yaml", upstreams(1000, Map.of()))))
			.run((context) -> {
				UpstreamProperties bound = context.getBean(UpstreamProperties.class);

				assertThat(bound.upstreams()).hasSize(1000);
				assertThat(bound).isEqualTo(bindWithBootAlone(context));
			});
	}

	@Test
	void takesEachValueFromTheSourceThatWins() {
		this.runner
			.withInitializer((context) -> context.getEnvironment()
				.getPropertySources()
				.addLast(new MapPropertySource("upstreams.yaml",
						Map.of("closewatch.upstreams.prices.url", "ws://127.0.0.1:9/from-file",
								"closewatch.upstreams.prices.on-open", "hello"))))
			.withPropertyValues("closewatch.upstreams.prices.url=ws://127.0.0.1:9/overridden",
					"closewatch.upstreams.news.url=ws://127.0.0.1:9/news")
			.run((context) -> {
				UpstreamProperties bound = context.getBean(UpstreamProperties.class);

				assertThat(bound.upstreams().get("prices").url()).hasToString("ws://127.0.0.1:9/overridden");
				assertThat(bound.upstreams().get("prices").onOpen()).isEqualTo("hello");
				assertThat(bound.upstreams()).containsOnlyKeys("prices", "news");
				assertThat(bound).isEqualTo(bindWithBootAlone(context));
			});
	}

	@Test
	void bindsEachUpstreamOverOnlyTheSourcesThatHoldIt() {
		MapConfigurationPropertySource settings = new MapConfigurationPropertySource(
				Map.of("closewatch.startup-spread", "1s", "other.key", "x"));
		MapConfigurationPropertySource file = new MapConfigurationPropertySource(
				upstreams(3, Map.of("closewatch.upstreams.u00002.on-open", "hello")));
		List<List<ConfigurationPropertySource>> requested = new ArrayList<>();
		UpstreamsBindHandler handler = new UpstreamsBindHandler(BindHandler.DEFAULT, (sources) -> {
			requested.add(sources);
			return new Binder(sources);
		});

		UpstreamProperties bound = new Binder(settings, file)
			.bind("closewatch", Bindable.of(UpstreamProperties.class), handler)
			.get();

		assertThat(bound.upstreams()).containsOnlyKeys("u00001", "u00002", "u00003");
		assertThat(bound.upstreams().get("u00002").onOpen()).isEqualTo("hello");
		assertThat(bound.startupSpread()).hasSeconds(1);
		assertThat(requested).containsExactly(List.of(file));
	}

	@Test
	void bindsUpstreamsThatSetOnlyAUrlWithoutABinder() {
		MapConfigurationPropertySource file = new MapConfigurationPropertySource(upstreams(3, Map.of()));
		List<List<ConfigurationPropertySource>> requested = new ArrayList<>();
		UpstreamsBindHandler handler = new UpstreamsBindHandler(BindHandler.DEFAULT, (sources) -> {
			requested.add(sources);
			return new Binder(sources);
		});

		UpstreamProperties bound = new Binder(file).bindOrCreate("closewatch", Bindable.of(UpstreamProperties.class),
				handler);

		assertThat(bound.upstreams()).containsOnlyKeys("u00001", "u00002", "u00003");
		assertThat(bound.upstreams().get("u00002").url()).hasToString("ws://127.0.0.4:9/ws/u00002");
		assertThat(requested).isEmpty();
	}

	@Test
	void bindsUrlsAsTheBinderDoes() {
		// encoded by Spring's URIEditor, trimmed, with a query, IPv6, a
		// placeholder, an empty value: each as a url-only entry and as one the binder
		// takes
		Map<String, Object> properties = new LinkedHashMap<>();
		String[] urls = { "ws://127.0.0.1:9/with space", " wss://[::1]:9/q?a=1&b=%20 ", "ws://127.0.0.1:9/${path}",
				"ws://127.0.0.1:9/ünïcode", "WS://Example.COM:9/Case" };
		for (int i = 0; i < urls.length; i++) {
			properties.put("closewatch.upstreams.only%d.url".formatted(i), urls[i]);
			properties.put("closewatch.upstreams.bound%d.url".formatted(i), urls[i]);
			properties.put("closewatch.upstreams.bound%d.on-open".formatted(i), "x");
		}
		this.runner
			.withInitializer((context) -> context.getEnvironment()
				.getPropertySources()
				.addLast(new MapPropertySource("upstreams.yaml", properties)))
			.withPropertyValues("path=from-placeholder")
			.run((context) -> {
				UpstreamProperties bound = context.getBean(UpstreamProperties.class);

				for (int i = 0; i < urls.length; i++) {
					assertThat(bound.upstreams().get("only" + i).url()).as(urls[i])
						.isEqualTo(bound.upstreams().get("bound" + i).url())
						.isNotNull();
				}
				assertThat(bound.upstreams().get("only2").url()).hasToString("ws://127.0.0.1:9/from-placeholder");
				assertThat(bound).isEqualTo(bindWithBootAlone(context));
			});
	}

	@Test
	void bindsAnEmptyUpstreamsMap() {
		this.runner.withPropertyValues("closewatch.upstreams=", "closewatch.startup-spread=1s")
			.run((context) -> assertThat(context.getBean(UpstreamProperties.class).upstreams()).isEmpty());
	}

	@Test
	void keepsTheDefaultsWhenOnlyUpstreamsAreSet() {
		this.runner.withPropertyValues("closewatch.upstreams.prices.url=ws://127.0.0.1:9/p").run((context) -> {
			UpstreamProperties bound = context.getBean(UpstreamProperties.class);

			assertThat(bound.upstreams()).containsOnlyKeys("prices");
			assertThat(bound.maxConcurrentHandshakes()).isEqualTo(64);
			assertThat(bound).isEqualTo(bindWithBootAlone(context));
		});
	}

	@Test
	void failsNamingTheUrlOfOneUpstreamAmongMany() {
		this.runner
			.withInitializer((context) -> context.getEnvironment()
				.getPropertySources()
				.addLast(new MapPropertySource("upstreams.yaml",
						upstreams(1000, Map.of("closewatch.upstreams.u00042.url", "ws://feed example com")))))
			.run((context) -> assertFailure(context, "closewatch.upstreams.u00042.url"));
	}

	@Test
	void failsNamingTheSchemeOfOneUpstreamAmongMany() {
		this.runner
			.withInitializer((context) -> context.getEnvironment()
				.getPropertySources()
				.addLast(new MapPropertySource("upstreams.yaml",
						upstreams(1000, Map.of("closewatch.upstreams.u00042.url", "https://127.0.0.1:9/")))))
			.run((context) -> assertFailure(context, "closewatch.upstreams.u00042.url must use ws:// or wss://"));
	}

	@Test
	void failsNamingAnUnconvertibleDurationOfOneUpstreamAmongMany() {
		this.runner
			.withInitializer((context) -> context.getEnvironment()
				.getPropertySources()
				.addLast(new MapPropertySource("upstreams.yaml",
						upstreams(1000, Map.of("closewatch.upstreams.u00042.ping-interval", "soon")))))
			.run((context) -> assertFailure(context, "closewatch.upstreams.u00042.ping-interval"));
	}

	@Test
	void failsWhenAnUpstreamIsAPlainValue() {
		this.runner.withPropertyValues("closewatch.upstreams.prices=ws://127.0.0.1:9/p")
			.run((context) -> assertFailure(context, "closewatch.upstreams.prices"));
	}

	private static Map<String, Object> upstreams(int count, Map<String, Object> overrides) {
		Map<String, Object> properties = new LinkedHashMap<>();
		for (int i = 1; i <= count; i++) {
			String name = "u%05d".formatted(i);
			properties.put("closewatch.upstreams." + name + ".url",
					"ws://127.0.0.%d:9/ws/%s".formatted(2 + i % 10, name));
		}
		properties.putAll(overrides);
		return properties;
	}

	private static UpstreamProperties bindWithBootAlone(ApplicationContext context) {
		return Binder.get(context.getEnvironment()).bindOrCreate("closewatch", UpstreamProperties.class);
	}

	private static void assertFailure(AssertableApplicationContext context, String expected) {
		assertThat(context).hasFailed();
		List<String> messages = new ArrayList<>();
		for (Throwable cause = context.getStartupFailure(); cause != null; cause = cause.getCause()) {
			messages.add(cause.getMessage());
		}
		assertThat(String.join("\n", messages)).contains(expected);
	}

	@Configuration(proxyBeanMethods = false)
	@EnableConfigurationProperties(UpstreamProperties.class)
	static class PropertiesOnly {

		@Bean
		static UpstreamsBindHandlerAdvisor upstreamsBindHandlerAdvisor(ApplicationContext context,
				ConfigurableListableBeanFactory beanFactory) {
			return UpstreamConfiguration.upstreamsBindHandlerAdvisor(context, beanFactory);
		}

	}

}
