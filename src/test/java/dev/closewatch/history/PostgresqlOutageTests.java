package dev.closewatch.history;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.LongSummaryStatistics;

import dev.closewatch.history.ServiceClient.Scrape;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

import static dev.closewatch.history.ServiceClient.CLOSES;
import static dev.closewatch.history.ServiceClient.DROPPED;
import static dev.closewatch.history.ServiceClient.QUEUED;
import static dev.closewatch.history.ServiceClient.STORE_UP;
import static dev.closewatch.history.ServiceClient.WRITE_LAG_COUNT;
import static dev.closewatch.history.ServiceClient.WRITTEN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * PostgreSQL stopped for 5-10 s while closewatch records closes, then started again on
 * the same data directory and port: meanwhile the {@code historyStore} health component
 * is DOWN with the error, monitoring and the close counters go on, and once PostgreSQL is
 * back every close of the outage is written and listed, none twice.
 */
class PostgresqlOutageTests {

	private static final int UPSTREAMS = 50;

	private static final Duration OUTAGE = Duration.ofSeconds(5);

	private static final String WRITE_LAG_WITHIN_2_5_S = "closewatch_history_write_lag_seconds_bucket{le=\"2.5\"}";

	@TempDir
	private Path temp;

	private int postgresPort;

	@Test
	void reportsTheStoreDownKeepsCountingAndWritesEveryQueuedCloseWhenPostgresqlReturns() throws Exception {
		this.postgresPort = CloseWatchProcess.freePort();
		EmbeddedPostgres postgres = startPostgres();
		try (ClosingUpstreams upstreams = new ClosingUpstreams();
				CloseWatchProcess closewatch = CloseWatchProcess.start(this.temp.resolve("closewatch.log"),
						arguments(upstreams))) {
			ServiceClient client = closewatch.client();
			await().atMost(Duration.ofSeconds(30)).until(() -> client.scrape().sum(CLOSES) >= 500);

			postgres.close();
			Instant stopped = Instant.now();
			Scrape atStop = client.scrape();
			await().atMost(Duration.ofSeconds(20)).until(() -> status(historyStore(client)).equals("DOWN"));
			JsonNode down = historyStore(client);
			// the outage lasts OUTAGE at least, and until a write has found PostgreSQL
			// away
			// (the first failure is the connection PostgreSQL ended as it stopped)
			Thread.sleep(Math.max(0, Duration.between(Instant.now(), stopped.plus(OUTAGE)).toMillis()));
			await().atMost(Duration.ofSeconds(20))
				.until(() -> historyStore(client).at("/details/error").asString().contains("cannot connect"));
			Scrape lateInOutage = client.scrape();
			JsonNode stillDown = historyStore(client);
			postgres = startPostgres();
			Instant restarted = Instant.now();
			await().atMost(Duration.ofSeconds(30))
				.pollInterval(Duration.ofMillis(100))
				.until(() -> status(historyStore(client)).equals("UP"));
			Duration recovery = Duration.between(restarted, Instant.now());
			upstreams.hold();
			Scrape end = client.awaitEveryCloseWritten();
			List<JsonNode> listed = client.closeEventsAfter(0);

			assertThat(down.at("/details/synchronousCommit").asString()).isEqualTo("off");
			assertThat(down.at("/details/error").asString()).as("the first failed write")
				.containsAnyOf("PostgreSQL is shutting down", "cannot connect to PostgreSQL at spring.datasource.url");
			assertThat(status(stillDown)).isEqualTo("DOWN");
			assertThat(stillDown.at("/details/error").asString()).as("a write while PostgreSQL is away")
				.contains("cannot connect to PostgreSQL at spring.datasource.url", "refused");
			assertThat(stillDown.at("/details/queued").asLong()).isPositive();
			assertThat(lateInOutage.sum(STORE_UP)).isZero();
			assertThat(lateInOutage.sum(CLOSES)).as("closes counted during the outage")
				.isGreaterThan(atStop.sum(CLOSES) + 100);
			assertThat(lateInOutage.sum(QUEUED)).isPositive();
			assertThat(end.sum(STORE_UP)).isOne();
			assertThat(end.sum(DROPPED)).isZero();
			assertThat(listed).hasSize((int) end.sum(CLOSES));
			LongSummaryStatistics ids = listed.stream()
				.mapToLong((event) -> event.get("id").asLong())
				.summaryStatistics();
			assertThat(listed.stream().map((event) -> event.get("id").asLong())).doesNotHaveDuplicates();
			assertThat(ids.getMax() - ids.getMin() + 1).as("ids without a gap").isEqualTo(ids.getCount());
			assertThat(listed.stream()
				.map(PostgresqlOutageTests::closedAt)
				.filter((closedAt) -> closedAt.isAfter(stopped.minusSeconds(1)) && closedAt.isBefore(restarted)))
				.hasSizeGreaterThanOrEqualTo((int) (lateInOutage.sum(CLOSES) - atStop.sum(CLOSES)));
			// the events closed early in the outage waited for PostgreSQL to return: the
			// write lag shows them above 2.5 s, and every written event was timed
			long waitedForRestart = listed.stream()
				.map(PostgresqlOutageTests::closedAt)
				.filter((closedAt) -> !closedAt.isBefore(stopped) && closedAt.isBefore(restarted.minusMillis(2500)))
				.count();
			assertThat(waitedForRestart).isPositive();
			assertThat(end.sum(WRITE_LAG_COUNT)).isEqualTo(end.sum(WRITTEN));
			assertThat(end.sum(WRITE_LAG_COUNT) - end.series(WRITE_LAG_WITHIN_2_5_S))
				.as("events stored more than 2.5 s after their close")
				.isGreaterThanOrEqualTo(waitedForRestart);
			System.out.printf("OUTAGE postgresql: down for %d ms, %d closes counted and queued meanwhile, "
					+ "store UP %d ms after PostgreSQL was back, %d events listed = %d counted, errors: '%s', then '%s'%n",
					Duration.between(stopped, restarted).toMillis(), lateInOutage.sum(CLOSES) - atStop.sum(CLOSES),
					recovery.toMillis(), listed.size(), end.sum(CLOSES), down.at("/details/error").asString(),
					stillDown.at("/details/error").asString());
		}
		finally {
			postgres.close();
		}
	}

	private EmbeddedPostgres startPostgres() throws IOException {
		return EmbeddedPostgres.builder()
			.setDataDirectory(this.temp.resolve("postgresql"))
			.setCleanDataDirectory(false)
			.setPort(this.postgresPort)
			.setServerConfig("listen_addresses", "127.0.0.1")
			.start();
	}

	private static JsonNode historyStore(ServiceClient client) throws IOException {
		return client.health("historyStore");
	}

	private static String status(JsonNode component) {
		return component.path("status").asString("");
	}

	private static Instant closedAt(JsonNode event) {
		return Instant.parse(event.get("closedAt").asString());
	}

	private List<String> arguments(ClosingUpstreams upstreams) {
		List<String> arguments = new ArrayList<>(List.of("--closewatch.history.store=postgresql",
				"--spring.datasource.url=jdbc:postgresql://127.0.0.1:" + this.postgresPort + "/postgres",
				"--spring.datasource.username=postgres", "--spring.datasource.password=postgres"));
		arguments.addAll(upstreams.arguments(UPSTREAMS));
		return arguments;
	}

}
