package dev.closewatch.history;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

import dev.closewatch.closeevent.RecordedCloseEventIds;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.JdbcTemplateAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;
import org.springframework.mock.env.MockEnvironment;

import static dev.closewatch.history.TestCloseEvents.closeEvent;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class HistoryConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withUserConfiguration(PropertiesConfiguration.class, HistoryConfiguration.class)
		.withBean(Clock.class, Clock::systemUTC);

	private final ApplicationContextRunner memory = this.contextRunner
		.withPropertyValues("closewatch.history.store=memory");

	@TempDir
	Path directory;

	@Test
	void keepsTenThousandEventsByDefault() {
		this.memory.run((context) -> assertThat(context.getBean(HistoryProperties.class).capacity()).isEqualTo(10_000));
	}

	@Test
	void defaultsToSqliteWithThirtyDaysAndFiveMillionEvents() {
		this.memory.run((context) -> {
			HistoryProperties properties = context.getBean(HistoryProperties.class);
			assertThat(context.getEnvironment().getProperty("closewatch.history.store")).isEqualTo("memory");
			assertThat(properties.sqlite().path()).isEqualTo(Path.of("data", "closewatch.db"));
			assertThat(properties.retention().maxAge()).isEqualTo(Duration.ofDays(30));
			assertThat(properties.retention().maxEvents()).isEqualTo(5_000_000);
		});
		assertThat(HistoryStoreEnvironment.store(new MockEnvironment())).isEqualTo(HistoryStore.SQLITE);
	}

	@Test
	void commitsPostgresqlAsynchronouslyByDefaultAndBindsPostgresqlsOwnSpelling() {
		this.memory
			.run((context) -> assertThat(context.getBean(HistoryProperties.class).postgresql().synchronousCommit())
				.isEqualTo(SynchronousCommit.OFF));
		this.memory.withPropertyValues("closewatch.history.postgresql.synchronous-commit=remote_write")
			.run((context) -> assertThat(context.getBean(HistoryProperties.class).postgresql().synchronousCommit())
				.isEqualTo(SynchronousCommit.REMOTE_WRITE));
	}

	@Test
	void failsStartupNamingTheSettingWhenSynchronousCommitIsNotOneOfPostgresqls() {
		this.memory.withPropertyValues("closewatch.history.postgresql.synchronous-commit=sometimes")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.hasStackTraceContaining(
						"Failed to bind properties under " + "'closewatch.history.postgresql.synchronous-commit'")
				.rootCause()
				.hasMessageContaining("sometimes"));
	}

	@Test
	void lingersTwoMillisecondsByDefaultAndBindsTheWritersLinger() {
		this.memory.run((context) -> assertThat(context.getBean(HistoryProperties.class).writer().linger())
			.isEqualTo(Duration.ofMillis(2)));
		this.memory.withPropertyValues("closewatch.history.writer.linger=0")
			.run((context) -> assertThat(context.getBean(HistoryProperties.class).writer().linger()).isZero());
	}

	@Test
	void failsStartupNamingTheSettingWhenTheLingerIsOverASecond() {
		this.memory.withPropertyValues("closewatch.history.writer.linger=5s")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("closewatch.history.writer.linger"));
	}

	@Test
	void bindsCapacity() {
		this.memory.withPropertyValues("closewatch.history.capacity=2").run((context) -> {
			CloseEventHistory history = context.getBean(CloseEventHistory.class);
			for (long id = 1; id <= 3; id++) {
				history.record(closeEvent(id).build());
			}

			assertThat(context.getBean(InMemoryCloseEventHistory.class).evictions()).isEqualTo(1);
		});
	}

	@Test
	void failsStartupWhenCapacityIsNotPositive() {
		this.memory.withPropertyValues("closewatch.history.capacity=0")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("closewatch.history.capacity"));
	}

	@Test
	void recordsPublishedCloseEvents() {
		this.memory.run((context) -> {
			context.publishEvent(closeEvent(7).build());

			assertThat(context.getBean(InMemoryCloseEventHistory.class).size()).isEqualTo(1);
		});
	}

	@Test
	void countsMemoryEvictionsByCapacity() {
		this.memory.withPropertyValues("closewatch.history.capacity=2").run((context) -> {
			MeterRegistry registry = new SimpleMeterRegistry();
			context.getBean(HistoryMetrics.class).bindTo(registry);
			for (long id = 1; id <= 5; id++) {
				context.publishEvent(closeEvent(id).build());
			}

			assertThat(registry.get("closewatch.history.evictions").tag("reason", "capacity").functionCounter().count())
				.isEqualTo(3);
			assertThat(registry.get("closewatch.history.dropped").functionCounter().count()).isZero();
		});
	}

	@Test
	void writesPublishedCloseEventsToSqliteAndContinuesIdsAboveThem() {
		ApplicationContextRunner sqlite = sqlite();
		sqlite.run((context) -> {
			context.publishEvent(closeEvent(7).build());
			context.publishEvent(closeEvent(8).build());
			CloseEventHistory history = context.getBean(CloseEventHistory.class);

			await().atMost(Duration.ofSeconds(10))
				.untilAsserted(() -> assertThat(history.find(CloseEventHistoryContract.all(10))).hasSize(2));
			MeterRegistry registry = new SimpleMeterRegistry();
			context.getBean(HistoryMetrics.class).bindTo(registry);
			assertThat(registry.get("closewatch.history.written").functionCounter().count()).isEqualTo(2);
			assertThat(registry.get("closewatch.history.store.up").gauge().value()).isEqualTo(1);
			assertThat(registry.get("closewatch.history.evictions").tag("reason", "max-age").functionCounter())
				.isNotNull();
		});
		sqlite.run((context) -> assertThat(context.getBean(RecordedCloseEventIds.class).highest()).isEqualTo(8));
	}

	@Test
	void timesEachWrittenEventFromItsCloseToItsCommit() {
		ApplicationContextRunner sqlite = sqlite();
		sqlite.run((context) -> {
			MeterRegistry registry = new SimpleMeterRegistry();
			context.getBean(WriteLag.class).bindTo(registry);
			Instant published = Instant.now();
			context.publishEvent(closeEvent(7).closedAt(published.minusSeconds(3)).build());
			context.publishEvent(closeEvent(8).closedAt(published.minusSeconds(4)).build());
			CloseEventHistory history = context.getBean(CloseEventHistory.class);

			await().atMost(Duration.ofSeconds(10))
				.untilAsserted(() -> assertThat(history.find(CloseEventHistoryContract.all(10))).hasSize(2));
			Timer lag = registry.get("closewatch.history.write.lag").timer();
			assertThat(lag.count()).isEqualTo(2);
			assertThat(lag.max(TimeUnit.MILLISECONDS)).isBetween(4000.0,
					4000.0 + Duration.between(published, Instant.now()).toMillis());
			assertThat(lag.totalTime(TimeUnit.MILLISECONDS)).isGreaterThanOrEqualTo(7000);
		});
	}

	@Test
	void leavesSqlitesCheckpointsToItsWriterWhenAQueueFileKeepsTheEvents() {
		sqlite().run((context) -> assertThat(context).hasSingleBean(QueueFile.class)
			.doesNotHaveBean(SqliteCheckpointer.class));
	}

	@Test
	void checkpointsSqliteBesideTheWriterWhenTheListWaitsForItsCommits() {
		sqlite().withPropertyValues("closewatch.history.sqlite.queue-file=false")
			.run((context) -> assertThat(context).doesNotHaveBean(QueueFile.class)
				.hasSingleBean(SqliteCheckpointer.class));
	}

	@Test
	void hasNoWriteLagWithTheMemoryStore() {
		this.memory.run((context) -> assertThat(context).doesNotHaveBean(WriteLag.class));
	}

	// a SQLite file in the test's directory, migrated by Flyway
	private ApplicationContextRunner sqlite() {
		return this.contextRunner
			.withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class,
					JdbcTemplateAutoConfiguration.class, FlywayAutoConfiguration.class))
			.withPropertyValues("closewatch.history.store=sqlite",
					"spring.datasource.url=" + HistoryStoreEnvironment.sqliteUrl(this.directory.resolve("h.db")),
					"spring.flyway.locations=classpath:db/migration/{vendor}");
	}

	@Configuration(proxyBeanMethods = false)
	@EnableConfigurationProperties(HistoryProperties.class)
	static class PropertiesConfiguration {

	}

}
