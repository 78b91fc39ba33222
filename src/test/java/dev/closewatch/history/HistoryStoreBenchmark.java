package dev.closewatch.history;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.closewatch.closeevent.CloseEvent;
import org.flywaydb.core.Flyway;
import org.slf4j.LoggerFactory;

/**
 * The durable history's benchmark, run by {@code bench/history.sh} (bench/README.md,
 * "History stores"): for each store, in a new SQLite file or PostgreSQL database, the
 * writer's sustained throughput, the list's queries and an availability query at a
 * million stored events, the database's size, and the writer's commit latency while
 * retention prunes a million events, each through the store's own code
 * ({@link CloseEventWriter}, {@link JdbcCloseEventStore}, {@link Retention}). A program,
 * not a test: the build never runs it.
 */
final class HistoryStoreBenchmark {

	private static final long MILLION = 1_000_000L;

	private static final int SEED_BATCH = 10_000;

	// the writer as closewatch configures it by default
	private static final HistoryProperties.Writer WRITER = new HistoryProperties.Writer(100_000, 500,
			Duration.ofMillis(100), Duration.ofSeconds(10), Duration.ofMillis(2));

	// the availability of one upstream over a window, in the shape the API needs: closes
	// and
	// unclean closes, the time its sessions overlapped the window, and the longest time
	// from
	// a close to the next open (LAG over the upstream's sessions); written here because
	// the
	// store has no availability query yet
	private final Options options;

	private final HistoryStore kind;

	private final String name;

	private final Map<String, String> figures;

	// the writer's commit latency p99 without pruning, milliseconds
	private double baselineP99;

	private HistoryStoreBenchmark(Options options, HistoryStore kind, Map<String, String> figures) {
		this.options = options;
		this.kind = kind;
		this.name = kind.name().toLowerCase(Locale.ROOT);
		this.figures = figures;
	}

	public static void main(String[] args) throws Exception {
		// Logback's default without a configuration file is DEBUG for everything (Hikari,
		// Flyway)
		((ch.qos.logback.classic.Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME))
			.setLevel(ch.qos.logback.classic.Level.WARN);
		Options options = Options.parse(args);
		System.out.printf(Locale.ROOT,
				"history benchmark: %s; %,d events per seed over %d days, %,d upstreams (%d flapping), "
						+ "java %s, %d cpus%n",
				options.stores, options.events, options.days, options.upstreams, options.flapping,
				System.getProperty("java.version"), Runtime.getRuntime().availableProcessors());
		Map<HistoryStore, Map<String, String>> results = new LinkedHashMap<>();
		for (HistoryStore store : options.stores) {
			Map<String, String> figures = new LinkedHashMap<>();
			results.put(store, figures);
			long started = System.nanoTime();
			double[] machine = machineCpu();
			new HistoryStoreBenchmark(options, store, figures).run();
			double took = seconds(System.nanoTime() - started);
			double[] after = machineCpu();
			double busy = (after[0] - machine[0]) / took;
			double own = (after[1] - machine[1]) / took;
			String name = store.name().toLowerCase(Locale.ROOT);
			figures.put("machine: busy cores / this JVM / the rest (database server, other work)",
					"%.2f / %.2f / %.2f".formatted(busy, own, busy - own));
			System.out.printf(Locale.ROOT,
					"%s: done in %.0f s; the machine was busy %.2f cores on average, this JVM %.2f, "
							+ "the rest (the database server, anything else) %.2f%n%n",
					name, took, busy, own, busy - own);
		}
		summary(results);
	}

	private void run() throws Exception {
		try (Database database = Database.open(this.kind, this.options)) {
			TimedCloseEventStore store = new TimedCloseEventStore(database.app(), this.kind,
					this.options.synchronousCommit);
			JdbcCloseEventStore seeder = new JdbcCloseEventStore(database.seed(), this.kind,
					this.options.synchronousCommit);
			Instant now = Instant.now();
			Duration span = Duration.ofDays(this.options.days);
			long events = this.options.events;
			System.out.printf(Locale.ROOT, "%s: %s%s%n", this.name, database.describe(),
					(this.kind == HistoryStore.POSTGRESQL)
							? ", the writer's synchronous_commit " + this.options.synchronousCommit.setting() : "");

			// the newer million (ids above the older million that comes later, as
			// closewatch's
			// ids grow with time), ending a minute ago
			SyntheticCloseEvents recent = new SyntheticCloseEvents(this.options.upstreams, this.options.flapping, 17,
					now.minus(span));
			// (starting ten minutes inside max-age, so that retention later takes the
			// older million only)
			seed(seeder, recent, events + 1, now.minus(span).plusSeconds(600), now.minusSeconds(60), "newer");
			sizes(database, store, "after the newer " + compact(events));
			queries(store, recent, now, span, "");
			if (this.kind == HistoryStore.SQLITE) {
				store.optimize();
				boolean analyzed = store.jdbc()
					.queryForObject("SELECT COUNT(*) FROM sqlite_master WHERE name = 'sqlite_stat1'",
							Integer.class) > 0;
				System.out.printf("%s: after PRAGMA optimize (what retention runs after removing events): %s%n",
						this.name, analyzed ? "the planner has statistics (sqlite_stat1)" : "still no statistics");
				if (analyzed) {
					queries(store, recent, now, span, " after PRAGMA optimize");
				}
			}
			// a run since before the seeds, as this process's, so that the whole window
			// is
			// monitored and the availability reads every one of its queries
			MonitorRun seeded = new MonitorRun(UUID.randomUUID().toString(), "bench", now.minus(span.multipliedBy(3)));
			store.startRun(seeded);
			availability(new JdbcAvailability(store.jdbc(), this.kind, seeded.id(), Clock.systemUTC()), recent, now);

			MonitorRun run = new MonitorRun(UUID.randomUUID().toString(), "bench", Instant.now());
			store.startRun(run);
			CloseEventWriter writer = new CloseEventWriter(store, WRITER, run, Clock.systemUTC());
			writer.start();
			// as closewatch runs it beside a SQLite store's writer
			SqliteCheckpointer checkpointer = (this.kind == HistoryStore.SQLITE && this.options.checkpointer)
					? new SqliteCheckpointer(store.jdbc(), Clock.systemUTC()) : null;
			if (checkpointer != null) {
				checkpointer.start();
			}
			try {
				long nextId = 2 * events + 1;
				nextId = throughput(writer, store, recent, nextId);

				// the older million, 30 to 60 days old, with the lowest ids: retention's
				// share
				SyntheticCloseEvents older = new SyntheticCloseEvents(this.options.upstreams, this.options.flapping, 23,
						now.minus(span.multipliedBy(2)));
				seed(seeder, older, 1, now.minus(span.multipliedBy(2)), now.minus(span).minusSeconds(3600), "older");
				sizes(database, store, "after both seeds");

				nextId = steadyWrites(writer, store, recent, nextId);
				pruning(writer, store, recent, nextId, span);
				sizes(database, store, "after pruning");
			}
			finally {
				writer.stop();
				if (checkpointer != null) {
					checkpointer.stop();
					figure("background checkpoints (SqliteCheckpointer)", count(checkpointer.checkpoints()));
				}
			}
			if (writer.dropped() > 0) {
				figure("events dropped by the writer", count(writer.dropped()) + " (must be 0)");
			}
		}
	}

	private void seed(JdbcCloseEventStore seeder, SyntheticCloseEvents events, long firstId, Instant from, Instant to,
			String which) {
		long start = System.nanoTime();
		events.generate(firstId, this.options.events, from, to, SEED_BATCH, (batch) -> {
			try {
				seeder.insert(batch);
			}
			catch (SQLException ex) {
				throw new IllegalStateException(ex);
			}
		});
		double took = seconds(System.nanoTime() - start);
		System.out.printf(Locale.ROOT, "%s: seeded the %s %,d events in %.1f s (%,.0f events/s, %,d per transaction)%n",
				this.name, which, this.options.events, took, this.options.events / took, SEED_BATCH);
	}

	// (a) as many events as the writer takes, for writeSeconds or writeEvents, whichever
	// ends first; the producer waits while the queue is nearly full, so nothing is
	// dropped
	private long throughput(CloseEventWriter writer, TimedCloseEventStore store, SyntheticCloseEvents events,
			long firstId) {
		store.restart();
		long id = firstId;
		long start = System.nanoTime();
		long deadline = start + TimeUnit.SECONDS.toNanos(this.options.writeSeconds);
		int room = WRITER.queueCapacity() - 2 * WRITER.batchSize();
		while (id - firstId < this.options.writeEvents && System.nanoTime() < deadline) {
			if (writer.queued() >= room) {
				LockSupport.parkNanos(50_000);
				continue;
			}
			CloseEvent event = events.next(id, CloseEventRows.nanos(Instant.now()));
			store.queued(id);
			writer.enqueue(event);
			id++;
		}
		awaitWritten(writer);
		long written = id - firstId;
		double took = seconds(store.lastWrittenAt() - start);
		figure("write throughput", "%,.0f events/s".formatted(written / took));
		System.out.printf(Locale.ROOT,
				"%s:   %,d events in %.1f s through CloseEventWriter, %,d transactions (%.0f events each), "
						+ "transaction p50 %.1f ms, p99 %.1f ms%n",
				this.name, written, took, store.inserts().count(), (double) written / store.inserts().count(),
				store.inserts().millis(50), store.inserts().millis(99));
		return id;
	}

	// (d) baseline: the writer at the steady rate, nothing else running
	private long steadyWrites(CloseEventWriter writer, TimedCloseEventStore store, SyntheticCloseEvents events,
			long firstId) {
		store.restart();
		Paced paced = paced(writer, store, events, firstId, this.options.steadySeconds, () -> true);
		figure("commit latency at %,d events/s p50 / p99 / max".formatted(this.options.rate), "%.1f / %.1f / %.1f ms"
			.formatted(store.latency().millis(50), store.latency().millis(99), store.latency().millis(100)));
		System.out.printf(Locale.ROOT,
				"%s:   %,d events in %.0f s, %,d transactions (p99 %.1f ms), queue at most %,d%n", this.name,
				paced.events, paced.seconds, store.inserts().count(), store.inserts().millis(99), paced.maxQueued);
		this.baselineP99 = store.latency().millis(99);
		return paced.nextId;
	}

	// (d) the same writes while retention removes the older million (max-age cuts the
	// 2M-event table in half), in transactions of at most retention.batch-size
	private void pruning(CloseEventWriter writer, TimedCloseEventStore store, SyntheticCloseEvents events, long firstId,
			Duration maxAge) throws InterruptedException {
		Retention retention = new Retention(store,
				new HistoryProperties.Retention(maxAge, 5_000_000, Duration.ofMinutes(1), this.options.retentionBatch),
				Clock.systemUTC());
		RuntimeException[] failure = new RuntimeException[1];
		Thread pruner = new Thread(() -> {
			try {
				retention.run();
			}
			catch (RuntimeException ex) {
				failure[0] = ex;
			}
		}, "closewatch-history-retention");
		store.restart();
		long start = System.nanoTime();
		pruner.start();
		Paced paced = paced(writer, store, events, firstId, this.options.pruneTimeoutSeconds, pruner::isAlive);
		double took = seconds(System.nanoTime() - start);
		boolean stopped = pruner.isAlive();
		if (stopped) {
			pruner.interrupt();
		}
		pruner.join();
		if (failure[0] != null) {
			throw failure[0];
		}
		long removed = retention.evictedByAge();
		String finished = stopped ? " (stopped at --prune-timeout-seconds " + this.options.pruneTimeoutSeconds + ")"
				: "";
		figure("retention: removed",
				"%,d events in %.0f s (%,.0f events/s)%s".formatted(removed, took, removed / took, finished));
		figure("retention: delete transaction p50 / p99 / max",
				"%.1f / %.1f / %.1f ms (%,d transactions of at most %,d, %,.0f on average)".formatted(
						store.deletes().millis(50), store.deletes().millis(99), store.deletes().millis(100),
						store.deletes().count(), this.options.retentionBatch,
						(double) removed / Math.max(1, store.deletes().count())));
		double p99 = store.latency().millis(99);
		figure("commit latency while pruning p50 / p99 / max",
				"%.1f / %.1f / %.1f ms".formatted(store.latency().millis(50), p99, store.latency().millis(100)));
		figure("commit p99 while pruning / without", "%.2f× (target ≤ 2×)%s".formatted(p99 / this.baselineP99,
				(p99 / this.baselineP99 <= 2) ? "" : " MISSED"));
		System.out.printf(Locale.ROOT, "%s:   %,d events written meanwhile, queue at most %,d; %,d events left%n",
				this.name, paced.events, paced.maxQueued, store.count());
	}

	private Paced paced(CloseEventWriter writer, TimedCloseEventStore store, SyntheticCloseEvents events, long firstId,
			int maxSeconds, BooleanSupplier goOn) {
		long interval = 1_000_000_000L / this.options.rate;
		long start = System.nanoTime();
		long deadline = start + TimeUnit.SECONDS.toNanos(maxSeconds);
		long next = start;
		long id = firstId;
		int maxQueued = 0;
		while (System.nanoTime() < deadline && goOn.getAsBoolean()) {
			long wait = next - System.nanoTime();
			if (wait > 0) {
				LockSupport.parkNanos(wait);
			}
			CloseEvent event = events.next(id, CloseEventRows.nanos(Instant.now()));
			store.queued(id);
			writer.enqueue(event);
			id++;
			next += interval;
			maxQueued = Math.max(maxQueued, writer.queued());
		}
		double took = seconds(System.nanoTime() - start);
		awaitWritten(writer);
		return new Paced(id, id - firstId, took, maxQueued);
	}

	private record Paced(long nextId, long events, double seconds, int maxQueued) {

	}

	private static void awaitWritten(CloseEventWriter writer) {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
		while (writer.pending() > 0) {
			if (System.nanoTime() > deadline) {
				throw new IllegalStateException(writer.pending() + " events still not written after 120 s");
			}
			LockSupport.parkNanos(1_000_000);
		}
	}

	// (b) the list's queries through JdbcCloseEventStore.find, limit 100
	private void queries(TimedCloseEventStore store, SyntheticCloseEvents events, Instant now, Duration span,
			String suffix) {
		long from = CloseEventRows.nanos(now.minus(span));
		long to = CloseEventRows.nanos(now);
		Supplier<CloseEventQuery> quiet = () -> ranged(events.quietUpstream(), events, from, to);
		Supplier<CloseEventQuery> flapping = () -> ranged(events.flappingUpstream(), events, from, to);
		int[] codes = { 1000, 1006, 1011, 4003 };
		String target = "target ≤ 10 ms";
		Sampled quietFiltered = time(store, quiet);
		Sampled flappingFiltered = time(store, flapping);
		figure("filtered query (upstream + time range, limit 100) p50 / p99" + suffix,
				"quiet upstream %s, flapping upstream %s (%s)".formatted(quietFiltered, flappingFiltered,
						(Math.max(quietFiltered.p99, flappingFiltered.p99) <= 10) ? target : target + ", MISSED"));
		figure("newest page unfiltered p50 / p99" + suffix,
				time(store, () -> new CloseEventQuery(null, null, null, null, null, null, 100)).toString());
		figure("newest page by code p50 / p99" + suffix, time(store,
				() -> new CloseEventQuery(null, codes[events.nextInt(codes.length)], null, null, null, null, 100))
			.toString());
		figure("newest page by upstream p50 / p99" + suffix,
				time(store, () -> new CloseEventQuery(events.flappingUpstream(), null, null, null, null, null, 100))
					.toString());
		CloseEventQuery example = flapping.get();
		String explain = (this.kind == HistoryStore.SQLITE) ? "EXPLAIN QUERY PLAN " : "EXPLAIN ";
		UpstreamClosings.Condition closedIn = UpstreamClosings.of(this.kind)
			.closedIn(example.upstream(), CloseEventRows.nanos(example.since()), CloseEventRows.nanos(example.until()));
		List<Object> arguments = new ArrayList<>(closedIn.arguments());
		arguments.add(100);
		List<String> plan = store.jdbc()
			.query(explain + "SELECT " + CloseEventRows.COLUMNS + " FROM close_event WHERE " + closedIn.sql()
					+ " ORDER BY id DESC LIMIT ?",
					(row, n) -> row.getString((this.kind == HistoryStore.SQLITE) ? 4 : 1), arguments.toArray());
		System.out.printf("%s:   plan of the filtered query%s: %s%n", this.name, suffix, String.join(" | ", plan));
	}

	// an upstream's events in a window of one hour to seven days within the stored span
	private static CloseEventQuery ranged(String upstream, SyntheticCloseEvents events, long from, long to) {
		long length = TimeUnit.HOURS.toNanos(1 + events.nextInt(7 * 24));
		long since = from + (long) (Math.random() * (to - from - length));
		return new CloseEventQuery(upstream, null, null, CloseEventRows.instant(since),
				CloseEventRows.instant(since + length), null, 100);
	}

	private Sampled time(TimedCloseEventStore store, Supplier<CloseEventQuery> queries) {
		long found = 0;
		for (int i = 0; i < this.options.queries / 5; i++) {
			found += store.find(queries.get()).size();
		}
		long[] times = new long[this.options.queries];
		for (int i = 0; i < times.length; i++) {
			CloseEventQuery query = queries.get();
			long start = System.nanoTime();
			found += store.find(query).size();
			times[i] = System.nanoTime() - start;
		}
		return Sampled.of(times, found);
	}

	// (c) one upstream over the last seven days, through the API's availability
	// (JdbcAvailability: its counts, median, open time, gaps and monitored runs)
	private void availability(JdbcAvailability availability, SyntheticCloseEvents events, Instant now) {
		Instant since = now.minus(Duration.ofDays(7));
		String target = "target ≤ 50 ms";
		Sampled quiet = timeAvailability(availability, events::quietUpstream, since, now);
		Sampled flapping = timeAvailability(availability, events::flappingUpstream, since, now);
		figure("availability of one upstream over 7 days p50 / p99", "quiet upstream %s, flapping upstream %s (%s)"
			.formatted(quiet, flapping, (Math.max(quiet.p99, flapping.p99) <= 50) ? target : target + ", MISSED"));
		String upstream = events.flappingUpstream();
		Availability example = availability.availability(new AvailabilityQuery(upstream, since, now, null));
		System.out.printf(Locale.ROOT,
				"%s:   e.g. %s over 7 days: %d closes, %d unclean, %d sessions, up %.2f %%, longest outage %s%n",
				this.name, upstream, example.closes(), example.uncleanCloses(), example.sessions().count(),
				(example.availability() != null) ? 100 * example.availability() : Double.NaN,
				(example.longestOutage() != null) ? example.longestOutage().duration() : "none");
	}

	private Sampled timeAvailability(JdbcAvailability availability, Supplier<String> upstreams, Instant since,
			Instant until) {
		int repeats = Math.max(50, this.options.queries / 2);
		long[] times = new long[repeats];
		long found = 0;
		for (int i = -repeats / 5; i < repeats; i++) {
			String upstream = upstreams.get();
			long start = System.nanoTime();
			Availability answer = availability.availability(new AvailabilityQuery(upstream, since, until, null));
			if (i >= 0) {
				times[i] = System.nanoTime() - start;
			}
			found += answer.closes();
		}
		return Sampled.of(times, found);
	}

	// (e) the database's size, and per million events
	private void sizes(Database database, TimedCloseEventStore store, String when) {
		long events = store.count();
		long bytes = database.sizeBytes();
		figure("database size " + when, "%,.1f MiB for %,d events: %,.0f MiB per million (%s)"
			.formatted(bytes / 1048576.0, events, bytes / 1048576.0 * MILLION / events, database.sizeDetail()));
	}

	private void figure(String label, String value) {
		this.figures.put(label, value);
		System.out.printf("%s %s: %s%n", this.name, label, value);
	}

	private static void summary(Map<HistoryStore, Map<String, String>> results) {
		List<String> labels = new ArrayList<>();
		results.values()
			.forEach((figures) -> figures.keySet().stream().filter((l) -> !labels.contains(l)).forEach(labels::add));
		StringBuilder table = new StringBuilder("| figure |");
		results.keySet()
			.forEach((store) -> table.append(' ').append(store.name().toLowerCase(Locale.ROOT)).append(" |"));
		table.append("\n|---|").append("---|".repeat(results.size())).append('\n');
		for (String label : labels) {
			table.append("| ").append(label).append(" |");
			results.values()
				.forEach((figures) -> table.append(' ').append(figures.getOrDefault(label, "")).append(" |"));
			table.append('\n');
		}
		System.out.println("## summary\n\n" + table);
	}

	// the machine's busy CPU seconds (/proc/stat) and this JVM's
	private static double[] machineCpu() {
		double busy = Double.NaN;
		try {
			String[] fields = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
			long ticks = 0;
			for (int i : new int[] { 1, 2, 3, 6, 7, 8 }) {
				ticks += Long.parseLong(fields[i]);
			}
			busy = ticks / 100.0;
		}
		catch (IOException | RuntimeException ex) {
			// not Linux
		}
		long own = ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
			.getOperatingSystemMXBean()).getProcessCpuTime();
		return new double[] { busy, own / 1e9 };
	}

	private static double seconds(long nanos) {
		return nanos / 1e9;
	}

	private static String compact(long value) {
		return (value % MILLION == 0) ? (value / MILLION) + "M"
				: (value % 1000 == 0) ? (value / 1000) + "k" : count(value);
	}

	private static String count(long value) {
		return String.format(Locale.ROOT, "%,d", value);
	}

	/**
	 * Percentiles of one kind of query, in milliseconds.
	 */
	private record Sampled(double p50, double p99, double max) {

		static Sampled of(long[] nanos, long found) {
			long[] sorted = nanos.clone();
			Arrays.sort(sorted);
			if (found < 0) {
				throw new IllegalStateException();
			}
			return new Sampled(at(sorted, 50), at(sorted, 99), sorted[sorted.length - 1] / 1e6);
		}

		private static double at(long[] sorted, double percent) {
			return sorted[(int) Math.max(0, Math.ceil(percent / 100 * sorted.length) - 1)] / 1e6;
		}

		@Override
		public String toString() {
			return String.format(Locale.ROOT, "%.2f / %.2f ms", this.p50, this.p99);
		}

	}

	/**
	 * A new SQLite file or PostgreSQL database, migrated by closewatch's own Flyway
	 * scripts, with a pool as closewatch sizes it and, for PostgreSQL, a second pool that
	 * rewrites batched inserts into multi-row ones for seeding.
	 */
	private record Database(HistoryStore kind, HikariDataSource app, HikariDataSource seed, Path file,
			String detail) implements AutoCloseable {

		static Database open(HistoryStore kind, Options options) throws SQLException, IOException {
			Database database;
			if (kind == HistoryStore.SQLITE) {
				Path file = options.dir.resolve("history-" + System.nanoTime() + ".db");
				SqliteNewFile.createIfAbsent(file, options.sqlitePageSize);
				HikariDataSource pool = pool(HistoryStoreEnvironment.sqliteUrl(file), 4);
				database = new Database(kind, pool, pool, file,
						"SQLite file " + file + ", pages of " + options.sqlitePageSize + " bytes");
			}
			else {
				String name = "closewatch_bench_" + System.currentTimeMillis();
				try (Connection connection = DriverManager.getConnection(options.pgUrl + "postgres", "postgres",
						"postgres"); Statement statement = connection.createStatement()) {
					statement.execute("CREATE DATABASE " + name);
				}
				HikariDataSource pool = pool(options.pgUrl + name, 10);
				HikariDataSource seed = pool(options.pgUrl + name + "?reWriteBatchedInserts=true", 2);
				database = new Database(kind, pool, seed, null, "PostgreSQL database " + name + " at " + options.pgUrl);
			}
			Flyway.configure()
				.dataSource(database.app)
				.locations("classpath:db/migration/" + kind.name().toLowerCase(Locale.ROOT))
				.load()
				.migrate();
			return database;
		}

		private static HikariDataSource pool(String url, int size) {
			HikariConfig config = new HikariConfig();
			config.setJdbcUrl(url);
			if (url.startsWith("jdbc:postgresql:")) {
				config.setUsername("postgres");
				config.setPassword("postgres");
			}
			config.setMaximumPoolSize(size);
			config.setConnectionTimeout(5000);
			config.setPoolName("closewatch-history");
			return new HikariDataSource(config);
		}

		String describe() {
			String version = new org.springframework.jdbc.core.JdbcTemplate(this.app).queryForObject(
					(this.kind == HistoryStore.SQLITE) ? "SELECT 'SQLite ' || sqlite_version()" : "SELECT version()",
					String.class);
			return this.detail + ", " + version;
		}

		long sizeBytes() {
			if (this.kind == HistoryStore.SQLITE) {
				return size(this.file) + size(wal());
			}
			return new org.springframework.jdbc.core.JdbcTemplate(this.app)
				.queryForObject("SELECT pg_total_relation_size('close_event')", Long.class);
		}

		String sizeDetail() {
			if (this.kind == HistoryStore.SQLITE) {
				return "file %,.1f MiB + WAL %,.1f MiB".formatted(size(this.file) / 1048576.0, size(wal()) / 1048576.0);
			}
			Map<String, Object> sizes = new org.springframework.jdbc.core.JdbcTemplate(this.app)
				.queryForMap("SELECT pg_table_size('close_event') AS heap, pg_indexes_size('close_event') AS indexes");
			return "table %,.1f MiB + indexes %,.1f MiB, pg_total_relation_size".formatted(
					((Number) sizes.get("heap")).longValue() / 1048576.0,
					((Number) sizes.get("indexes")).longValue() / 1048576.0);
		}

		private Path wal() {
			return this.file.resolveSibling(this.file.getFileName() + "-wal");
		}

		private static long size(Path path) {
			try {
				return Files.exists(path) ? Files.size(path) : 0;
			}
			catch (IOException ex) {
				return 0;
			}
		}

		@Override
		public void close() {
			if (this.seed != this.app) {
				this.seed.close();
			}
			this.app.close();
		}

	}

	/**
	 * The command line: {@code --name value} pairs.
	 */
	private static final class Options {

		List<HistoryStore> stores = List.of(HistoryStore.SQLITE, HistoryStore.POSTGRESQL);

		String pgUrl = "jdbc:postgresql://127.0.0.1:5432/";

		Path dir = Path.of(System.getProperty("java.io.tmpdir"));

		long events = MILLION;

		int upstreams = 5000;

		int flapping = 20;

		int days = 30;

		int writeSeconds = 15;

		long writeEvents = 500_000;

		int queries = 500;

		int rate = 1000;

		int steadySeconds = 20;

		boolean checkpointer = true;

		SynchronousCommit synchronousCommit = SynchronousCommit.OFF;

		int retentionBatch = 200;

		int pruneTimeoutSeconds = 240;

		int sqlitePageSize = SqliteNewFile.PAGE_SIZE;

		static Options parse(String[] args) {
			Options options = new Options();
			for (int i = 0; i < args.length; i += 2) {
				if (i + 1 >= args.length) {
					throw new IllegalArgumentException(args[i] + " needs a value");
				}
				String value = args[i + 1];
				switch (args[i]) {
					case "--stores" -> options.stores = Arrays.stream(value.split(","))
						.map((s) -> HistoryStore.valueOf(s.trim().toUpperCase(Locale.ROOT)))
						.filter(HistoryStore::durable)
						.toList();
					case "--pg-url" -> options.pgUrl = value.endsWith("/") ? value : value + "/";
					case "--dir" -> options.dir = Path.of(value);
					case "--events" -> options.events = Long.parseLong(value);
					case "--upstreams" -> options.upstreams = Integer.parseInt(value);
					case "--flapping" -> options.flapping = Integer.parseInt(value);
					case "--days" -> options.days = Integer.parseInt(value);
					case "--write-seconds" -> options.writeSeconds = Integer.parseInt(value);
					case "--write-events" -> options.writeEvents = Long.parseLong(value);
					case "--queries" -> options.queries = Integer.parseInt(value);
					case "--rate" -> options.rate = Integer.parseInt(value);
					case "--steady-seconds" -> options.steadySeconds = Integer.parseInt(value);
					case "--retention-batch" -> options.retentionBatch = Integer.parseInt(value);
					case "--prune-timeout-seconds" -> options.pruneTimeoutSeconds = Integer.parseInt(value);
					case "--sqlite-page-size" -> options.sqlitePageSize = Integer.parseInt(value);
					case "--checkpointer" -> options.checkpointer = Boolean.parseBoolean(value);
					case "--synchronous-commit" ->
						options.synchronousCommit = SynchronousCommit.valueOf(value.toUpperCase(Locale.ROOT));
					default -> throw new IllegalArgumentException("unknown option " + args[i]);
				}
			}
			if (options.flapping < 1 || options.flapping >= options.upstreams || options.events < 1000
					|| options.rate < 1 || options.rate > 100_000) {
				throw new IllegalArgumentException(
						"--flapping must be 1 to --upstreams - 1, --events at least 1000, " + "--rate 1 to 100000");
			}
			return options;
		}

	}

}
