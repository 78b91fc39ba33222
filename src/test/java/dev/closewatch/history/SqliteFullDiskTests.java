package dev.closewatch.history;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.LongSummaryStatistics;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;

import dev.closewatch.history.ServiceClient.Scrape;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

import static dev.closewatch.history.ServiceClient.CLOSES;
import static dev.closewatch.history.ServiceClient.DROPPED;
import static dev.closewatch.history.ServiceClient.QUEUED;
import static dev.closewatch.history.ServiceClient.STORE_UP;
import static dev.closewatch.history.ServiceClient.WRITTEN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The SQLite store on a disk that fills up, a real one (a small tmpfs): closewatch
 * started on it fails naming {@code closewatch.history.sqlite.path} and the disk; one
 * whose disk fills while it runs reports the store DOWN, goes on monitoring with the
 * closes queued, and writes every one of them once there is room again; the closes it
 * lists meanwhile (from its queue file) survive {@code kill -9}.
 */
class SqliteFullDiskTests {

	private static final int UPSTREAMS = 50;

	@TempDir
	private Path temp;

	@Test
	void failsStartupNamingThePathAndTheDiskWhenTheDiskIsFull() throws Exception {
		try (TinyFilesystem disk = TinyFilesystem.mount(this.temp.resolve("disk"), "4m")) {
			disk.fill();

			int status;
			String log;
			try (CloseWatchProcess closewatch = CloseWatchProcess.launch(this.temp.resolve("closewatch.log"),
					List.of("--closewatch.history.store=sqlite",
							"--closewatch.history.sqlite.path=" + disk.path().resolve("closewatch.db")))) {
				status = closewatch.awaitExit(Duration.ofSeconds(60));
				log = closewatch.log();
			}

			assertThat(status).isNotZero();
			assertThat(log).contains("APPLICATION FAILED TO START");
			String description = log.substring(log.indexOf("Description:"), log.indexOf("Action:"));
			assertThat(description).contains("closewatch.history.sqlite.path", disk.path().toString(), "free space");
		}
	}

	@Test
	void reportsTheFullDiskKeepsMonitoringAndWritesEveryQueuedCloseOnceThereIsRoom() throws Exception {
		try (TinyFilesystem disk = TinyFilesystem.mount(this.temp.resolve("disk"), "32m");
				ClosingUpstreams upstreams = new ClosingUpstreams()) {
			List<String> arguments = new ArrayList<>(List.of("--closewatch.history.store=sqlite",
					"--closewatch.history.sqlite.path=" + disk.path().resolve("closewatch.db")));
			arguments.addAll(upstreams.arguments(UPSTREAMS));
			try (CloseWatchProcess closewatch = CloseWatchProcess.start(this.temp.resolve("closewatch.log"),
					arguments)) {
				ServiceClient client = closewatch.client();
				await().atMost(Duration.ofSeconds(30)).until(() -> client.scrape().sum(CLOSES) >= 100);

				disk.fill();
				// the answer that said DOWN, kept: a write may still find room in the
				// WAL's
				// pages between two reads
				AtomicReference<JsonNode> downAnswer = new AtomicReference<>();
				await().atMost(Duration.ofSeconds(30)).until(() -> {
					JsonNode health = client.health("historyStore");
					downAnswer.set(health);
					return health.path("status").asString("").equals("DOWN");
				});
				JsonNode down = downAnswer.get();
				Scrape atDown = client.scrape();
				await().atMost(Duration.ofSeconds(30))
					.until(() -> client.scrape().sum(CLOSES) >= atDown.sum(CLOSES) + 500);
				Scrape whileFull = client.scrape();
				disk.free();
				Instant freed = Instant.now();
				await().atMost(Duration.ofSeconds(30))
					.pollInterval(Duration.ofMillis(100))
					.until(() -> status(client).equals("UP"));
				Duration recovery = Duration.between(freed, Instant.now());
				upstreams.hold();
				Scrape end = client.awaitEveryCloseWritten();
				List<JsonNode> listed = client.closeEventsAfter(0);

				assertThat(down.at("/details/error").asString()).contains("closewatch.history.sqlite.path",
						"the disk holding the database is full");
				assertThat(whileFull.sum(STORE_UP)).isZero();
				assertThat(whileFull.sum(QUEUED)).isPositive();
				assertThat(end.sum(STORE_UP)).isOne();
				assertThat(end.sum(DROPPED)).isZero();
				assertThat(listed).hasSize((int) end.sum(CLOSES));
				assertThat(listed.stream().map((event) -> event.get("id").asLong())).doesNotHaveDuplicates();
				LongSummaryStatistics ids = listed.stream()
					.mapToLong((event) -> event.get("id").asLong())
					.summaryStatistics();
				assertThat(ids.getMax() - ids.getMin() + 1).as("ids without a gap").isEqualTo(ids.getCount());
				System.out.printf(
						"FULL DISK sqlite: %d closes counted while the disk was full, store UP %d ms after "
								+ "space was freed, %d events listed = %d counted, error: %s%n",
						whileFull.sum(CLOSES) - atDown.sum(CLOSES), recovery.toMillis(), listed.size(), end.sum(CLOSES),
						down.at("/details/error").asString());
			}
		}
	}

	@Test
	void listsTheClosesRecordedWhileTheDiskIsFullAndStoresThemAfterKillDashNine() throws Exception {
		try (TinyFilesystem disk = TinyFilesystem.mount(this.temp.resolve("disk"), "32m");
				ClosingUpstreams upstreams = new ClosingUpstreams()) {
			List<String> arguments = new ArrayList<>(List.of("--closewatch.history.store=sqlite",
					"--closewatch.history.sqlite.path=" + disk.path().resolve("closewatch.db")));
			arguments.addAll(upstreams.arguments(UPSTREAMS));
			Map<Long, JsonNode> shown = new TreeMap<>();
			long storedBeforeTheKill;
			try (CloseWatchProcess closewatch = CloseWatchProcess.start(this.temp.resolve("closewatch.log"),
					arguments)) {
				ServiceClient client = closewatch.client();
				await().atMost(Duration.ofSeconds(30)).until(() -> client.scrape().sum(CLOSES) >= 100);
				disk.fill();
				await().atMost(Duration.ofSeconds(30)).until(() -> status(client).equals("DOWN"));
				Scrape atDown = client.scrape();
				// more than a page of the list (1,000), which memory answers only when
				// full
				await().atMost(Duration.ofSeconds(30))
					.until(() -> client.scrape().sum(CLOSES) >= atDown.sum(CLOSES) + 1500);
				client.closeEventsAfter(0).forEach((event) -> shown.put(event.get("id").asLong(), event));
				storedBeforeTheKill = client.scrape().sum(WRITTEN);
				closewatch.kill();
			}
			disk.free();
			try (CloseWatchProcess closewatch = CloseWatchProcess.start(this.temp.resolve("closewatch.log"),
					arguments)) {
				Map<Long, JsonNode> listed = new TreeMap<>();
				closewatch.client().closeEventsAfter(0).forEach((event) -> listed.put(event.get("id").asLong(), event));

				assertThat(shown.size()).as("closes listed before the kill, while nothing could be committed")
					.isGreaterThan((int) storedBeforeTheKill + 900);
				assertThat(shown)
					.allSatisfy((id, event) -> assertThat(listed.get(id)).as("event %d", id).isEqualTo(event));
				System.out.printf(
						"FULL DISK, kill -9, sqlite: %d closes listed before the kill, %d of them committed; "
								+ "all %d listed again after the restart%n",
						shown.size(), storedBeforeTheKill, shown.size());
			}
		}
	}

	private static String status(ServiceClient client) throws Exception {
		return client.health("historyStore").path("status").asString("");
	}

}
