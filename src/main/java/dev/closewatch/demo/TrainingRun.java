package dev.closewatch.demo;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import dev.closewatch.closeevent.CloseEvent;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.core.env.Environment;

/**
 * The {@code training} profile's run: while the training upstreams open, close and
 * reconnect, it polls the close-event list as a dashboard does and scrapes as Prometheus
 * does; once {@code closewatch.training.closes} events are recorded it makes every other
 * kind of request once (filters, a cursor, a bad parameter, an unknown upstream, the
 * stream, the status page, health) and hands a {@link TrainingReport} to the
 * {@link TrainingExit}. Bounded by {@code closewatch.training.max-duration}.
 */
class TrainingRun {

	private static final Logger logger = LoggerFactory.getLogger(TrainingRun.class);

	private static final Pattern NEXT = Pattern.compile("\"next\"\\s*:\\s*\"([^\"]+)\"");

	// what Prometheus 3 sends by default (scrape_protocols)
	private static final String PROMETHEUS_ACCEPT = "application/openmetrics-text;version=1.0.0;q=0.5,"
			+ "application/openmetrics-text;version=0.0.1;q=0.4,text/plain;version=1.0.0;q=0.3,"
			+ "text/plain;version=0.0.4;q=0.2,*/*;q=0.1";

	private final TrainingProperties properties;

	private final Environment environment;

	private final Clock clock;

	private final TrainingExit exit;

	private final AtomicLong closes = new AtomicLong();

	private final List<String> failures = new ArrayList<>();

	private int requests;

	TrainingRun(TrainingProperties properties, Environment environment, Clock clock, TrainingExit exit) {
		this.properties = properties;
		this.environment = environment;
		this.clock = clock;
		this.exit = exit;
	}

	@EventListener
	void closed(CloseEvent event) {
		this.closes.incrementAndGet();
	}

	@EventListener(ApplicationReadyEvent.class)
	void start() {
		Thread thread = new Thread(this::run, "closewatch-training");
		thread.setDaemon(true);
		thread.start();
	}

	private void run() {
		Instant started = this.clock.instant();
		try {
			// (HttpClient is AutoCloseable from Java 21 only; the process ends after the
			// run)
			Api api = new Api(HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build(),
					"http://127.0.0.1:" + this.environment.getRequiredProperty("local.server.port"));
			logger.info("Training run: {} upstream(s), until {} close events are recorded, at most {}",
					this.properties.upstreams(), this.properties.closes(), this.properties.maxDuration());
			pollUntilEnoughCloses(api, started.plus(this.properties.maxDuration()));
			everyKindOfRequest(api, started);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			this.failures.add("interrupted");
		}
		catch (RuntimeException ex) {
			this.failures.add("failed: " + ex);
		}
		this.exit.done(new TrainingReport(this.closes.get(), this.requests, this.failures,
				Duration.between(started, this.clock.instant())));
	}

	private void pollUntilEnoughCloses(Api api, Instant deadline) throws InterruptedException {
		int round = 0;
		while (this.closes.get() < this.properties.closes() && this.clock.instant().isBefore(deadline)) {
			api.get("/api/v1/close-events?limit=20", 200);
			if (++round % 200 == 0) {
				api.get("/actuator/prometheus", 200);
				api.get("/api/v1/upstreams", 200);
			}
			TimeUnit.MILLISECONDS.sleep(5);
		}
		if (this.closes.get() < this.properties.closes()) {
			this.failures.add("only " + this.closes.get() + " of " + this.properties.closes() + " close events within "
					+ this.properties.maxDuration());
		}
	}

	private void everyKindOfRequest(Api api, Instant started) throws InterruptedException {
		String first = TrainingEnvironment.name(1);
		String since = URLEncoder.encode(started.toString(), StandardCharsets.UTF_8);
		api.get("/api/v1/close-events?upstream=" + first + "&limit=100", 200);
		api.get("/api/v1/close-events?wasClean=false", 200);
		api.get("/api/v1/close-events?since=" + since, 200);
		api.get("/api/v1/close-events?code=1000&wasClean=true&upstream=" + first + "&until=" + since, 200);
		String page = api.get("/api/v1/close-events?limit=1000", 200);
		Matcher next = NEXT.matcher((page != null) ? page : "");
		if (next.find()) {
			api.get("/api/v1/close-events?limit=1000&cursor="
					+ URLEncoder.encode(next.group(1), StandardCharsets.UTF_8), 200);
		}
		api.get("/api/v1/close-events?limit=0", 400);
		api.get("/api/v1/close-events?upstream=no-such-upstream", 404);
		api.get("/api/v1/upstreams/" + first, 200);
		api.get("/api/v1/upstreams/no-such-upstream", 404);
		api.send(api.request("/actuator/prometheus").header("Accept", PROMETHEUS_ACCEPT).build(), 200);
		api.get("/actuator/prometheus", 200);
		api.get("/actuator/health", 200);
		api.get("/livez", 200);
		api.get("/readyz", 200);
		api.get("/v3/api-docs", 200);
		api.get("/", 200);
		api.get("/app.js", 200);
		api.firstStreamEvent();
	}

	/**
	 * closewatch's HTTP API as the training reads it; every request and every answer
	 * other than the expected one is counted in the report.
	 */
	private final class Api {

		private final HttpClient http;

		private final String base;

		Api(HttpClient http, String base) {
			this.http = http;
			this.base = base;
		}

		// the event stream: wait for one event, then hang up
		void firstStreamEvent() {
			TrainingRun.this.requests++;
			try {
				boolean event = this.http
					.sendAsync(request("/api/v1/close-events/stream").build(), HttpResponse.BodyHandlers.ofLines())
					.thenApply((response) -> {
						try (Stream<String> lines = response.body()) {
							return response.statusCode() == 200 && lines.anyMatch((line) -> line.startsWith("data:"));
						}
					})
					.get(10, TimeUnit.SECONDS);
				if (!event) {
					TrainingRun.this.failures.add("GET /api/v1/close-events/stream: no event");
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				TrainingRun.this.failures.add("GET /api/v1/close-events/stream: interrupted");
			}
			catch (Exception ex) {
				TrainingRun.this.failures.add("GET /api/v1/close-events/stream: " + ex);
			}
		}

		@Nullable String get(String path, int expected) throws InterruptedException {
			return send(request(path).build(), expected);
		}

		HttpRequest.Builder request(String path) {
			return HttpRequest.newBuilder(URI.create(this.base + path)).timeout(Duration.ofSeconds(10));
		}

		@Nullable String send(HttpRequest request, int expected) throws InterruptedException {
			TrainingRun.this.requests++;
			String what = request.method() + " " + request.uri().getRawPath()
					+ ((request.uri().getRawQuery() != null) ? "?" + request.uri().getRawQuery() : "");
			try {
				HttpResponse<String> response = this.http.send(request, HttpResponse.BodyHandlers.ofString());
				if (response.statusCode() != expected) {
					TrainingRun.this.failures.add(what + ": " + response.statusCode() + ", expected " + expected);
				}
				return response.body();
			}
			catch (IOException ex) {
				TrainingRun.this.failures.add(what + ": " + ex);
				return null;
			}
		}

	}

}
