package dev.closewatch.history;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.LongSummaryStatistics;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.closewatch.history.ServiceClient.Scrape;
import dev.closewatch.testserver.EmbeddedPostgresServer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

import static dev.closewatch.history.ServiceClient.CLOSES;
import static dev.closewatch.history.ServiceClient.QUEUED;
import static dev.closewatch.history.ServiceClient.WRITTEN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * closewatch killed with SIGKILL while it records about 1,000 closes a second, then
 * started again on the same database: every event the list showed before the kill is
 * still there, unchanged, no id appears twice, and the new run's ids continue above the
 * old ones. Prints how many recorded events never reached the store, for the docs.
 */
class CrashDurabilityTests {

	private static final int UPSTREAMS = 200;

	private static final Duration LOAD = Duration.ofSeconds(6);

	@TempDir
	private Path temp;

	private Path log;

	@BeforeEach
	void logFile() {
		this.log = this.temp.resolve("closewatch.log");
	}

	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = { "sqlite", "postgresql" })
	void keepsEveryShownEventOnceThroughKillDashNineAndContinuesIdsAboveThem(String store) throws Exception {
		try (ClosingUpstreams upstreams = new ClosingUpstreams()) {
			List<String> arguments = arguments(store, upstreams);

			Killed killed = runUnderLoadAndKill(arguments);
			Restarted restarted = restartAndList(arguments, killed.highestShown());

			assertThat(killed.exitStatus()).as("exit status of a process ended by SIGKILL").isEqualTo(128 + 9);
			assertThat(killed.shown()).hasSizeGreaterThan(1000);
			List<JsonNode> listed = restarted.listed();
			assertThat(ids(listed, (event) -> true)).doesNotHaveDuplicates();
			Map<Long, JsonNode> listedById = new TreeMap<>();
			listed.forEach((event) -> listedById.put(id(event), event));
			assertThat(killed.shown())
				.allSatisfy((id, event) -> assertThat(listedById.get(id)).as("event %d", id).isEqualTo(event));
			LongSummaryStatistics firstRun = ids(listed, (event) -> closedAt(event).isBefore(killed.at())).stream()
				.mapToLong(Long::longValue)
				.summaryStatistics();
			LongSummaryStatistics secondRun = ids(listed, (event) -> !closedAt(event).isBefore(killed.at())).stream()
				.mapToLong(Long::longValue)
				.summaryStatistics();
			assertThat(listed).filteredOn((event) -> !closedAt(event).isBefore(killed.at()))
				.isNotEmpty()
				.allSatisfy(
						(event) -> assertThat(Instant.parse(event.get("startedAt").asString())).isAfter(killed.at()));
			assertThat(secondRun.getMin()).isGreaterThan(firstRun.getMax());
			assertThat(firstRun.getMax() - firstRun.getMin() + 1).as("the first run's stored ids have no gap")
				.isEqualTo(firstRun.getCount());
			long counted = killed.lastScrape().sum(CLOSES);
			System.out.printf("CRASH %s: %.0f closes/s; shown before the kill=%d; at the last scrape before the kill "
					+ "counted=%d, write queue=%d, written=%d; stored after restart=%d (%d of them never shown); "
					+ "counted but lost>=%d; stored at restart from the queue file=%d; restart until serving=%d ms%n",
					store, killed.rate(), killed.shown().size(), counted, killed.lastScrape().sum(QUEUED),
					killed.lastScrape().sum(WRITTEN), firstRun.getCount(), firstRun.getMax() - killed.highestShown(),
					Math.max(0, counted - firstRun.getCount()), fromQueueFile(), restarted.millisUntilServing());
		}
	}

	/**
	 * Run closewatch under load, polling the list as a dashboard would, then scrape it
	 * once and kill it at once.
	 */
	private Killed runUnderLoadAndKill(List<String> arguments) throws Exception {
		NavigableMap<Long, JsonNode> shown = new TreeMap<>();
		try (CloseWatchProcess process = CloseWatchProcess.start(this.log, arguments)) {
			long started = System.nanoTime();
			while (System.nanoTime() - started < LOAD.toNanos()) {
				for (JsonNode event : process.client().closeEventsAfter(shown.isEmpty() ? 0 : shown.lastKey())) {
					shown.put(id(event), event);
				}
				Thread.sleep(50);
			}
			Scrape lastScrape = process.client().scrape();
			int exitStatus = process.kill();
			double rate = shown.size() * 1e9 / (System.nanoTime() - started);
			return new Killed(shown, lastScrape, exitStatus, Instant.now(), rate);
		}
	}

	/**
	 * Start closewatch again on the same database, let it list 300 events above those
	 * shown before, and return the whole list.
	 */
	private Restarted restartAndList(List<String> arguments, long highestShown) throws Exception {
		long restarting = System.nanoTime();
		try (CloseWatchProcess process = CloseWatchProcess.start(this.log, arguments)) {
			long millisUntilServing = (System.nanoTime() - restarting) / 1_000_000;
			await().atMost(Duration.ofSeconds(30))
				.pollInterval(Duration.ofMillis(200))
				.until(() -> process.client().closeEventsAfter(highestShown).size() >= 300);
			return new Restarted(process.client().closeEventsAfter(0), millisUntilServing);
		}
	}

	// what the restart's QueueFileRecovery logged it had stored
	private long fromQueueFile() throws IOException {
		Matcher wrote = Pattern.compile("Wrote (\\d+) close events").matcher(Files.readString(this.log));
		return wrote.find() ? Long.parseLong(wrote.group(1)) : 0;
	}

	private static List<Long> ids(List<JsonNode> events, Predicate<JsonNode> filter) {
		return events.stream().filter(filter).map(CrashDurabilityTests::id).toList();
	}

	private static long id(JsonNode event) {
		return event.get("id").asLong();
	}

	private static Instant closedAt(JsonNode event) {
		return Instant.parse(event.get("closedAt").asString());
	}

	private List<String> arguments(String store, ClosingUpstreams upstreams) {
		List<String> arguments = new ArrayList<>();
		if (store.equals("sqlite")) {
			arguments.add("--closewatch.history.store=sqlite");
			arguments.add("--closewatch.history.sqlite.path=" + this.temp.resolve("data/closewatch.db"));
		}
		else {
			for (String property : EmbeddedPostgresServer.newDatabase("crash").springProperties()) {
				arguments.add("--" + property);
			}
		}
		arguments.addAll(upstreams.arguments(UPSTREAMS));
		return arguments;
	}

	/**
	 * The first run, ended by SIGKILL.
	 *
	 * @param shown every event the list showed while it ran, by id
	 * @param lastScrape the scrape taken just before the kill
	 * @param exitStatus the process's exit status
	 * @param at when it had ended
	 * @param rate the events shown per second
	 */
	private record Killed(NavigableMap<Long, JsonNode> shown, Scrape lastScrape, int exitStatus, Instant at,
			double rate) {

		long highestShown() {
			return this.shown.lastKey();
		}

	}

	/**
	 * The second run on the same database.
	 *
	 * @param listed the whole list, newest first
	 * @param millisUntilServing how long it took from start until it answered HTTP
	 */
	private record Restarted(List<JsonNode> listed, long millisUntilServing) {

	}

}
