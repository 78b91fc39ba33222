package dev.closewatch.history;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;

import dev.closewatch.closeevent.CloseEvent;
import dev.closewatch.closeevent.RecordedCloseEventIds;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.util.Assert;

/**
 * Provides the close event history of {@code closewatch.history.store} and records every
 * published close event into it.
 */
@Configuration(proxyBeanMethods = false)
class HistoryConfiguration {

	@Bean
	CloseEventRecorder closeEventRecorder(CloseEventHistory history) {
		return new CloseEventRecorder(history);
	}

	@Configuration(proxyBeanMethods = false)
	@Conditional(MemoryStore.class)
	static class MemoryStoreConfiguration {

		@Bean
		InMemoryCloseEventHistory closeEventHistory(HistoryProperties properties) {
			return new InMemoryCloseEventHistory(properties.capacity());
		}

		@Bean
		HistoryMetrics historyMetrics(InMemoryCloseEventHistory history) {
			return HistoryMetrics.memory(history);
		}

	}

	@Configuration(proxyBeanMethods = false)
	@Conditional(DurableStore.class)
	static class DurableStoreConfiguration {

		// the JdbcTemplate, unlike the DataSource, comes after Flyway has migrated;
		// closing the store (after the writer has stopped) closes the writer's own pool
		@Bean
		JdbcCloseEventStore closeEventStore(JdbcTemplate jdbcTemplate, HistoryProperties properties) {
			return JdbcCloseEventStore.create(jdbcTemplate.getDataSource(), properties.store(),
					properties.postgresql().synchronousCommit());
		}

		// after what a crash left in the queue file is stored: ids continue above it
		@Bean
		RecordedCloseEventIds recordedCloseEventIds(JdbcCloseEventStore store, ObjectProvider<QueueFile> queueFile) {
			queueFile.getIfAvailable();
			long highest = store.highestId();
			return () -> highest;
		}

		// the events from their recording to their commit, so that the list shows them at
		// once; what the last run left in it is stored before anything else uses the
		// history
		@Bean
		@Conditional(WithQueueFile.class)
		QueueFile closeEventQueueFile(JdbcCloseEventStore store, Environment environment) {
			Path path = HistoryStoreEnvironment.queueFile(environment);
			Assert.state(path != null, "WithQueueFile matched without a file");
			return QueueFileRecovery.open(path, HistoryStoreEnvironment.queueFileSetting(environment), store);
		}

		// the recent events, and which of them are written; other replicas write to the
		// same store when clustered: then the list reads it
		@Bean
		WrittenCloseEvents writtenCloseEvents(HistoryProperties properties, Environment environment, Clock clock) {
			boolean soleWriter = !environment.getProperty("closewatch.cluster.enabled", Boolean.class, false);
			return new WrittenCloseEvents(new InMemoryCloseEventHistory(properties.capacity()), properties.retention(),
					soleWriter, clock);
		}

		@Bean
		WriteLag historyWriteLag(Clock clock) {
			return new WriteLag(clock);
		}

		@Bean
		CloseEventWriter closeEventWriter(JdbcCloseEventStore store, HistoryProperties properties,
				WrittenCloseEvents written, WriteLag writeLag, ObjectProvider<QueueFile> queueFile, Clock clock) {
			MonitorRun run = new MonitorRun(UUID.randomUUID().toString(), member(), clock.instant());
			store.startRun(run);
			Consumer<List<CloseEvent>> committed = written.andThen(writeLag);
			QueueFile file = queueFile.getIfAvailable();
			if (file != null) {
				committed = committed.andThen(file::remove);
			}
			return new CloseEventWriter(store, properties.writer(), run, clock, committed);
		}

		// only where the list waits for the writer's commits: with a queue file nothing
		// shown waits for them, and SQLite's own checkpoint in the writer's commit
		// flushes the disk a sixth as often (docs/performance.md, round 29)
		@Bean
		@Conditional({ SqliteStore.class, WithoutQueueFile.class })
		SqliteCheckpointer sqliteCheckpointer(JdbcTemplate jdbcTemplate, Clock clock) {
			return new SqliteCheckpointer(jdbcTemplate, clock);
		}

		@Bean
		Retention closeEventRetention(JdbcCloseEventStore store, HistoryProperties properties, Clock clock) {
			return new Retention(store, properties.retention(), clock);
		}

		@Bean
		DurableCloseEventHistory closeEventHistory(CloseEventWriter writer, WrittenCloseEvents written,
				JdbcCloseEventStore store, ObjectProvider<QueueFile> queueFile) {
			return new DurableCloseEventHistory(writer, written, store, queueFile.getIfAvailable());
		}

		@Bean
		HistoryMetrics historyMetrics(CloseEventWriter writer, Retention retention) {
			return HistoryMetrics.durable(writer, retention);
		}

		@Bean
		HistoryStoreHealthIndicator historyStoreHealthIndicator(CloseEventWriter writer, JdbcCloseEventStore store) {
			return new HistoryStoreHealthIndicator(writer, store);
		}

		private static String member() {
			String hostname = System.getenv("HOSTNAME");
			if (hostname != null && !hostname.isBlank()) {
				return hostname;
			}
			try {
				return InetAddress.getLocalHost().getHostName();
			}
			catch (UnknownHostException ex) {
				return "unknown";
			}
		}

	}

	static final class MemoryStore implements Condition {

		@Override
		public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
			return HistoryStoreEnvironment.store(context.getEnvironment()) == HistoryStore.MEMORY;
		}

	}

	static final class SqliteStore implements Condition {

		@Override
		public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
			return HistoryStoreEnvironment.store(context.getEnvironment()) == HistoryStore.SQLITE;
		}

	}

	/**
	 * A durable store with a {@link QueueFile}
	 * ({@link HistoryStoreEnvironment#queueFile}).
	 */
	static final class WithQueueFile implements Condition {

		@Override
		public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
			return HistoryStoreEnvironment.queueFile(context.getEnvironment()) != null;
		}

	}

	/**
	 * A store without a {@link QueueFile}: none, or a durable one with it turned off or
	 * clustered.
	 */
	static final class WithoutQueueFile implements Condition {

		@Override
		public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
			return HistoryStoreEnvironment.queueFile(context.getEnvironment()) == null;
		}

	}

	static final class DurableStore implements Condition {

		@Override
		public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
			return HistoryStoreEnvironment.store(context.getEnvironment()).durable();
		}

	}

}
