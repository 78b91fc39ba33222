package dev.closewatch.history;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.awaitility.Awaitility.await;

/**
 * Reads a running closewatch over HTTP as an operator's scripts do: the close event list
 * page by page, health, and the Prometheus scrape.
 */
final class ServiceClient {

	static final String CLOSES = "closewatch_upstream_closes_total";

	static final String WRITTEN = "closewatch_history_written_total";

	static final String STORE_UP = "closewatch_history_store_up";

	static final String QUEUED = "closewatch_history_write_queue_events";

	static final String DROPPED = "closewatch_history_dropped_total";

	static final String WRITE_LAG_COUNT = "closewatch_history_write_lag_seconds_count";

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

	private final String base;

	ServiceClient(String base) {
		this.base = base;
	}

	/**
	 * Return whether closewatch answers its health endpoint at all (UP or not).
	 */
	boolean answers() {
		try {
			send("/actuator/health");
			return true;
		}
		catch (IOException ex) {
			return false;
		}
	}

	/**
	 * Return one component of {@code /actuator/health}, such as {@code historyStore}.
	 */
	JsonNode health(String component) throws IOException {
		return json("/actuator/health/" + component);
	}

	/**
	 * Return the events listed above {@code afterId}, newest first, walking the pages
	 * until an event at or below it (pass 0 for the whole list).
	 * @param afterId the highest id seen so far
	 * @return the new events
	 */
	List<JsonNode> closeEventsAfter(long afterId) throws IOException {
		List<JsonNode> events = new ArrayList<>();
		String cursor = null;
		do {
			JsonNode page = json("/api/v1/close-events?limit=1000" + ((cursor != null) ? "&cursor=" + cursor : ""));
			for (JsonNode event : page.get("items")) {
				if (event.get("id").asLong() <= afterId) {
					return events;
				}
				events.add(event);
			}
			cursor = page.get("next").isNull() ? null : page.get("next").asString();
		}
		while (cursor != null);
		return events;
	}

	/**
	 * Scrape {@code /actuator/prometheus}.
	 * @return each family's samples summed over their labels
	 */
	Scrape scrape() throws IOException {
		Map<String, Double> sums = new HashMap<>();
		Map<String, Double> series = new HashMap<>();
		for (String line : send("/actuator/prometheus").lines().toList()) {
			if (line.isBlank() || line.startsWith("#")) {
				continue;
			}
			int nameEnd = line.indexOf('{');
			int valueStart = line.lastIndexOf(' ');
			String name = line.substring(0, (nameEnd >= 0) ? nameEnd : line.indexOf(' '));
			double value = Double.parseDouble(line.substring(valueStart + 1));
			sums.merge(name, value, Double::sum);
			series.put(line.substring(0, valueStart), value);
		}
		return new Scrape(sums, series);
	}

	/**
	 * Wait until the closes have stopped (two scrapes half a second apart count the same)
	 * and every one counted is written to the store.
	 * @return the last scrape
	 */
	Scrape awaitEveryCloseWritten() {
		List<Scrape> scrapes = new ArrayList<>();
		await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).until(() -> {
			Scrape scrape = scrape();
			scrapes.add(0, scrape);
			return scrapes.size() > 1 && scrape.sum(CLOSES) == scrapes.get(1).sum(CLOSES)
					&& scrape.sum(WRITTEN) == scrape.sum(CLOSES);
		});
		return scrapes.get(0);
	}

	private JsonNode json(String path) throws IOException {
		return JsonMapper.shared().readTree(send(path));
	}

	private String send(String path) throws IOException {
		HttpRequest request = HttpRequest.newBuilder(URI.create(this.base + path)).timeout(TIMEOUT).build();
		try {
			HttpResponse<String> response = this.http.send(request, BodyHandlers.ofString());
			return response.body();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IOException("Interrupted", ex);
		}
	}

	/**
	 * A Prometheus scrape, each family summed over its labels, and each series.
	 *
	 * @param sums the sums by sample name, such as
	 * {@code closewatch_upstream_closes_total}
	 * @param series the samples by name and labels as scraped, such as
	 * {@code closewatch_history_write_lag_seconds_bucket{le="1.0"}}
	 */
	record Scrape(Map<String, Double> sums, Map<String, Double> series) {

		long sum(String name) {
			return Math.round(this.sums.getOrDefault(name, 0.0));
		}

		long series(String nameAndLabels) {
			Double value = this.series.get(nameAndLabels);
			if (value == null) {
				throw new AssertionError("no series " + nameAndLabels + " in the scrape");
			}
			return Math.round(value);
		}

	}

}
