package dev.closewatch.upstream;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

import dev.closewatch.reconnect.ReconnectProperties;
import dev.closewatch.upstream.UpstreamProperties.Upstream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.PropertySourcesPlaceholdersResolver;
import org.springframework.core.io.ByteArrayResource;
import org.springframework.mock.env.MockEnvironment;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class UpstreamDefinitionsTests {

	private final ThreadPoolTaskScheduler scheduler = new ThreadPoolTaskScheduler();

	private final UpstreamClients clients;

	private final UpstreamConnectionFactory factory;

	private final UpstreamDefinitions definitions;

	UpstreamDefinitionsTests() throws Exception {
		this.scheduler.initialize();
		this.clients = new UpstreamClients(Duration.ofSeconds(5), this.scheduler);
		ReconnectProperties reconnect = Binder.get(new MockEnvironment())
			.bindOrCreate("closewatch.reconnect", ReconnectProperties.class);
		UpstreamConnectionFactory factory = new UpstreamConnectionFactory(
				new UpstreamProperties(Duration.ofSeconds(5), Duration.ofSeconds(5), Map.of()), reconnect, this.clients,
				null, this.scheduler, Clock.systemUTC(), (event) -> {
				}, new CloseEventSequence(0, (event) -> {
				}), new HandshakeGate(64));
		this.factory = factory;
		this.definitions = new UpstreamDefinitions(factory);
	}

	@AfterEach
	void close() throws Exception {
		this.clients.close();
		this.scheduler.shutdown();
	}

	private Map<String, Upstream> read(String yaml) {
		return this.definitions.read("file:/etc/u.yaml",
				UpstreamDefinitions.document("/etc/u.yaml", yaml.getBytes(StandardCharsets.UTF_8)));
	}

	@Test
	void readsAMapOfUpstreamsWithEverySetting() {
		Map<String, Upstream> read = read("""
				prices:
				  url: wss://feed.example.com/prices
				  headers: {Authorization: "Bearer x"}
				  ping-interval: 10s
				  labels: {team: payments, env: prod}
				  reconnect: {max-delay: 10s}
				chat:
				  url: ws://chat.example.com/ws
				""");

		assertThat(read).containsOnlyKeys("prices", "chat");
		assertThat(read.get("prices").pingInterval()).isEqualTo(Duration.ofSeconds(10));
		assertThat(read.get("prices").labels()).containsEntry("team", "payments").containsEntry("env", "prod");
		assertThat(read.get("chat").url()).hasToString("ws://chat.example.com/ws");
	}

	@Test
	void readsJson() {
		assertThat(read("{\"prices\": {\"url\": \"wss://feed.example.com/prices\"}}")).containsOnlyKeys("prices");
	}

	@Test
	void readsNothingFromAnEmptyDocument() {
		assertThat(read("")).isEmpty();
		assertThat(read("{}")).isEmpty();
	}

	@Test
	void namesFileLineAndPropertyOfABadValue() {
		assertThatExceptionOfType(InvalidUpstreamsException.class)
			.isThrownBy(() -> read("prices:\n  url: wss://x/p\nchat:\n  url: ws://c/ws\n  ping-interval: soon\n"))
			.withMessageContaining("/etc/u.yaml")
			.withMessageContaining("line 5")
			.withMessageContaining("closewatch.upstreams.chat.ping-interval");
	}

	@Test
	void namesTheLineOfABadUrl() {
		assertThatExceptionOfType(InvalidUpstreamsException.class)
			.isThrownBy(() -> read("prices:\n  url: wss://x/p\nchat:\n  url: http://c/ws\n"))
			.withMessageContaining("line 4")
			.withMessageContaining("closewatch.upstreams.chat.url must use ws:// or wss://");
	}

	@Test
	void rejectsAnUnknownKey() {
		assertThatExceptionOfType(InvalidUpstreamsException.class)
			.isThrownBy(() -> read("prices:\n  url: wss://x/p\n  on-opem: hi\n"))
			.withMessageContaining("closewatch.upstreams.prices.on-opem");
	}

	@Test
	void rejectsYamlThatDoesNotParse() {
		assertThatExceptionOfType(InvalidUpstreamsException.class).isThrownBy(() -> read("prices:\n  url: [x\n"))
			.withMessageContaining("not valid YAML or JSON");
	}

	@Test
	void rejectsABadLabelName() {
		assertThatExceptionOfType(InvalidUpstreamsException.class)
			.isThrownBy(() -> read("prices:\n  url: wss://x/p\n  labels: {upstream: x}\n"))
			.withMessageContaining("closewatch.upstreams.prices.labels");
	}

	@Test
	void readsOneUpstreamsSettings() {
		Upstream upstream = this.definitions.readOne("api", "prices", new ByteArrayResource(
				"{\"url\": \"wss://feed.example.com/prices\", \"labels\": {\"team\": \"fx\"}}".getBytes()));

		assertThat(upstream.url()).hasToString("wss://feed.example.com/prices");
		assertThat(upstream.labels()).containsEntry("team", "fx");
	}

	@Test
	void readsOneUpstreamInCamelCaseAsBootBindsIt() {
		Upstream upstream = this.definitions.readOne("api", "prices", new ByteArrayResource(
				"{\"url\": \"wss://feed.example.com/prices\", \"pingInterval\": \"10s\", \"reconnect\": {\"maxDelay\": \"10s\"}}"
					.getBytes()));

		assertThat(upstream.pingInterval()).isEqualTo(Duration.ofSeconds(10));
		assertThat(upstream.reconnect().maxDelay()).isEqualTo(Duration.ofSeconds(10));
	}

	@Test
	void readOneNamesTheFieldThatIsWrong() {
		assertThatExceptionOfType(InvalidUpstreamsException.class)
			.isThrownBy(() -> this.definitions.readOne("api", "prices",
					new ByteArrayResource(
							"{\"url\": \"wss://feed.example.com/prices\", \"pingInterval\": \"soon\"}".getBytes())))
			.withMessageContaining("closewatch.upstreams.prices.ping-interval");
		assertThatExceptionOfType(InvalidUpstreamsException.class)
			.isThrownBy(() -> this.definitions.readOne("api", "prices",
					new ByteArrayResource(
							"{\"url\": \"wss://feed.example.com/prices\", \"onOpem\": \"x\"}".getBytes())))
			.withMessageContaining("closewatch.upstreams.prices.onopem");
		assertThatExceptionOfType(InvalidUpstreamsException.class)
			.isThrownBy(() -> this.definitions.readOne("api", "prices",
					new ByteArrayResource("{\"url\": \"https://feed.example.com/prices\"}".getBytes())))
			.withMessageContaining("closewatch.upstreams.prices.url must use ws:// or wss://");
		assertThatExceptionOfType(InvalidUpstreamsException.class)
			.isThrownBy(() -> this.definitions.readOne("api", "prices",
					new ByteArrayResource("{\"url\": \"wss://x\",".getBytes())))
			.withMessageContaining("not valid YAML or JSON");
	}

	@Test
	void resolvesPlaceholdersInFilesButNotInRequestBodies() {
		MockEnvironment environment = new MockEnvironment().withProperty("PRICES_TOKEN", "t0ken");
		UpstreamDefinitions resolving = new UpstreamDefinitions(this.factory,
				new PropertySourcesPlaceholdersResolver(environment));
		String settings = "{url: wss://feed.example.com/prices, headers: {Authorization: 'Bearer ${PRICES_TOKEN}'}}";

		Map<String, Upstream> file = resolving.read("file:/etc/u.yaml",
				UpstreamDefinitions.document("/etc/u.yaml", ("prices: " + settings).getBytes(StandardCharsets.UTF_8)));
		Upstream body = resolving.readOne("api", "prices",
				UpstreamDefinitions.document("the request body", settings.getBytes(StandardCharsets.UTF_8)));

		assertThat(file.get("prices").headers()).containsEntry("Authorization", "Bearer t0ken");
		assertThat(body.headers()).containsEntry("Authorization", "Bearer ${PRICES_TOKEN}");
	}

	@Test
	void bindsAgainOnlyTheUpstreamsWhoseSettingsChanged() {
		Map<String, Upstream> first = read("""
				prices: {url: wss://feed.example.com/prices}
				news: {url: wss://feed.example.com/news}
				""");

		Map<String, Upstream> second = read("""
				# a comment shifts every line
				prices: {url: wss://feed.example.com/prices}
				news: {url: wss://feed.example.com/news, labels: {team: fx}}
				""");

		assertThat(second.get("prices")).isSameAs(first.get("prices"));
		assertThat(second.get("news")).isNotSameAs(first.get("news"));
		assertThat(second.get("news").labels()).containsEntry("team", "fx");
		assertThatExceptionOfType(InvalidUpstreamsException.class).isThrownBy(() -> read("""
				prices: {url: wss://feed.example.com/prices}
				news: {url: https://feed.example.com/news}
				""")).withMessageContaining("line 2: closewatch.upstreams.news.url must use ws:// or wss://");
	}

}
