package dev.closewatch.soak;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import dev.closewatch.testserver.HostileScripts;
import dev.closewatch.testserver.RawWebSocketServer;

/**
 * The soak: the built closewatch jar, as a process of its own, monitors one upstream per
 * misbehaviour of a hostile server ({@link HostileScripts}, plus a refused port), each
 * reconnecting every 100 ms, for a bounded time. It fails unless every connection attempt
 * ended in exactly one recorded close (the server's count, closewatch's attempts and its
 * closes agree, give or take the attempt under way) and threads, open files and the heap
 * after a full GC did not grow from the first minute to the last.
 * <p>
 * Usage: {@code java -cp target/test-classes dev.closewatch.soak.SoakRun --jar <jar>
 * [--duration 4m] [--report <file>]}. Needs only the JDK (and {@code jcmd}).
 */
public final class SoakRun {

	private static final Duration SAMPLE_EVERY = Duration.ofSeconds(5);

	private static final Duration GC_EVERY = Duration.ofSeconds(20);

	private static final Duration WINDOW = Duration.ofMinutes(1);

	// allowances for what legitimately varies: pool threads that come and go, sockets
	// under way, the heap's noise after a full GC
	private static final int THREAD_ALLOWANCE = 4;

	private static final int FILE_ALLOWANCE = 16;

	private static final long HEAP_ALLOWANCE = 8L * 1024 * 1024;

	private static final Pattern SERIES = Pattern.compile("^(closewatch_upstream_closes_total|"
			+ "closewatch_upstream_connect_attempts_total|closewatch_history_dropped_total|"
			+ "jvm_memory_used_bytes)\\{([^}]*)\\} ([0-9.eE+-]+)", Pattern.MULTILINE);

	private static final Pattern UPSTREAM = Pattern.compile("upstream=\"([^\"]+)\"");

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	private final List<Sample> samples = new ArrayList<>();

	private final List<Sample> heaps = new ArrayList<>();

	private final List<String> problems = new ArrayList<>();

	private final Path jar;

	private final Duration duration;

	private final Path work;

	private int port;

	private SoakRun(Path jar, Duration duration, Path work) {
		this.jar = jar;
		this.duration = duration;
		this.work = work;
	}

	public static void main(String[] args) throws Exception {
		Map<String, String> options = options(args);
		Path jar = Path.of(required(options, "--jar"));
		Duration duration = Duration.parse("PT" + options.getOrDefault("--duration", "4m").toUpperCase());
		if (duration.compareTo(Duration.ofMinutes(3)) < 0) {
			throw new IllegalArgumentException("--duration must be at least 3m: a first and a last minute apart");
		}
		Path work = Files.createTempDirectory("closewatch-soak-");
		SoakRun soak = new SoakRun(jar, duration, work);
		String report;
		try {
			report = soak.run();
		}
		finally {
			deleteRecursively(work);
		}
		System.out.println(report);
		if (options.containsKey("--report")) {
			Files.writeString(Path.of(options.get("--report")), report);
		}
		if (!soak.problems.isEmpty()) {
			System.out.println("SOAK FAILED:");
			soak.problems.forEach((problem) -> System.out.println("  - " + problem));
			System.exit(1);
		}
		System.out.println("soak passed");
	}

	private String run() throws Exception {
		Map<String, RawWebSocketServer.Script> scripts = HostileScripts.all();
		try (RawWebSocketServer server = new RawWebSocketServer()) {
			scripts.forEach((name, script) -> server.on("/" + name, script));
			this.port = freePort();
			Path config = writeConfig(server, scripts.keySet());
			Process app = new ProcessBuilder(javaCommand(), "-Xmx256m", "-jar", this.jar.toString(),
					"--spring.config.additional-location=file:" + config)
				.redirectErrorStream(true)
				.redirectOutput(this.work.resolve("closewatch.log").toFile())
				.start();
			try {
				awaitUp(app);
				Instant start = Instant.now();
				sampleUntil(app, start);
				Map<String, Long> closes = new LinkedHashMap<>();
				Map<String, Long> attempts = new LinkedHashMap<>();
				String metrics = scrape();
				Map<String, Long> served = new LinkedHashMap<>();
				scripts.keySet().forEach((name) -> served.put(name, (long) server.connections("/" + name)));
				double dropped = tally(metrics, closes, attempts);
				checkAccounting(closes, attempts, served, dropped);
				checkGrowth();
				return report(start, closes, attempts, served);
			}
			finally {
				stop(app);
			}
		}
	}

	private Path writeConfig(RawWebSocketServer server, Iterable<String> names) throws IOException {
		StringBuilder yaml = new StringBuilder();
		yaml.append("server:\n  address: 127.0.0.1\n  port: ").append(this.port).append('\n');
		yaml.append("logging:\n  level:\n    dev.closewatch.upstream: warn\n");
		yaml.append("closewatch:\n");
		yaml.append("  connect-timeout: 2s\n  close-timeout: 2s\n  startup-spread: 0s\n");
		yaml.append("  reconnect: {strategy: fixed, delay: 100ms, jitter: 0, max-retries: -1}\n");
		yaml.append("  history:\n    store: sqlite\n    sqlite: {path: '").append(this.work.resolve("closewatch.db"));
		yaml.append("'}\n    retention: {max-events: 200000, interval: 10s}\n");
		yaml.append("  upstreams:\n");
		for (String name : names) {
			yaml.append("    ").append(name).append(":\n      url: ").append(server.url("/" + name)).append('\n');
			if (name.equals("silent")) {
				yaml.append("      ping-interval: 1s\n      pong-timeout: 1s\n");
			}
		}
		yaml.append("    refused:\n      url: ws://127.0.0.1:").append(freePort()).append("/refused\n");
		Path config = this.work.resolve("soak.yaml");
		Files.writeString(config, yaml);
		return config;
	}

	private void awaitUp(Process app) throws Exception {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
		while (System.nanoTime() < deadline) {
			if (!app.isAlive()) {
				throw new IllegalStateException("closewatch exited with " + app.exitValue() + ":\n" + logTail());
			}
			try {
				if (get("/actuator/health").contains("\"UP\"")) {
					return;
				}
			}
			catch (IOException ex) {
				// not listening yet
			}
			Thread.sleep(500);
		}
		throw new IllegalStateException("closewatch did not come up in 120 s:\n" + logTail());
	}

	private void sampleUntil(Process app, Instant start) throws Exception {
		Instant end = start.plus(this.duration);
		Instant nextGc = start.plus(WINDOW).minus(GC_EVERY.multipliedBy(3));
		while (Instant.now().isBefore(end)) {
			if (!app.isAlive()) {
				throw new IllegalStateException("closewatch died during the soak:\n" + logTail());
			}
			Duration at = Duration.between(start, Instant.now());
			this.samples.add(new Sample(at, threads(app), openFiles(app), residentBytes(app)));
			if (!Instant.now().isBefore(nextGc)) {
				this.heaps.add(new Sample(at, 0, 0, heapAfterGc(app)));
				nextGc = nextGc.plus(GC_EVERY);
			}
			Thread.sleep(SAMPLE_EVERY.toMillis());
		}
		// the last window's last heap sample, at the very end
		this.heaps.add(new Sample(Duration.between(start, Instant.now()), 0, 0, heapAfterGc(app)));
	}

	private double tally(String metrics, Map<String, Long> closes, Map<String, Long> attempts) {
		double dropped = 0;
		Matcher series = SERIES.matcher(metrics);
		while (series.find()) {
			Matcher upstream = UPSTREAM.matcher(series.group(2));
			long value = (long) Double.parseDouble(series.group(3));
			switch (series.group(1)) {
				case "closewatch_upstream_closes_total" -> {
					if (upstream.find()) {
						closes.merge(upstream.group(1), value, Long::sum);
					}
				}
				case "closewatch_upstream_connect_attempts_total" -> {
					if (upstream.find()) {
						attempts.merge(upstream.group(1), value, Long::sum);
					}
				}
				case "closewatch_history_dropped_total" -> dropped += value;
				default -> {
				}
			}
		}
		return dropped;
	}

	private void checkAccounting(Map<String, Long> closes, Map<String, Long> attempts, Map<String, Long> served,
			double dropped) {
		if (dropped > 0) {
			this.problems.add("the history dropped " + (long) dropped + " close events");
		}
		for (String name : attempts.keySet()) {
			long closed = closes.getOrDefault(name, 0L);
			long tried = attempts.get(name);
			// an open connection was counted as an attempt and has not closed yet
			if (tried - closed < 0 || tried - closed > 1) {
				this.problems.add(name + ": " + tried + " attempts but " + closed + " recorded closes");
			}
			if (closed == 0) {
				this.problems.add(name + ": no close recorded");
			}
		}
		served.forEach((name, count) -> {
			long closed = closes.getOrDefault(name, 0L);
			// the metrics were read first: the server may have seen one more attempt
			// since,
			// and one may be under way
			if (count - closed < 0 || count - closed > 2) {
				this.problems.add(
						name + ": the server saw " + count + " connections, closewatch recorded " + closed + " closes");
			}
		});
	}

	private void checkGrowth() {
		Duration lastStart = this.duration.minus(WINDOW);
		List<Sample> first = within(this.samples, WINDOW.dividedBy(2), WINDOW.plus(WINDOW.dividedBy(2)));
		List<Sample> last = within(this.samples, lastStart, this.duration.plusMinutes(1));
		int firstThreads = first.stream().mapToInt(Sample::threads).max().orElseThrow();
		int lastThreads = last.stream().mapToInt(Sample::threads).max().orElseThrow();
		if (lastThreads > firstThreads + THREAD_ALLOWANCE) {
			this.problems.add("threads grew from " + firstThreads + " to " + lastThreads);
		}
		int firstFiles = first.stream().mapToInt(Sample::files).max().orElseThrow();
		int lastFiles = last.stream().mapToInt(Sample::files).max().orElseThrow();
		if (lastFiles > firstFiles + FILE_ALLOWANCE) {
			this.problems.add("open files grew from " + firstFiles + " to " + lastFiles);
		}
		long firstHeap = minBytes(within(this.heaps, Duration.ZERO, WINDOW.plus(GC_EVERY)));
		long lastHeap = minBytes(within(this.heaps, lastStart, this.duration.plusMinutes(1)));
		if (lastHeap > firstHeap + Math.max(HEAP_ALLOWANCE, firstHeap / 5)) {
			this.problems.add("heap after GC grew from " + mib(firstHeap) + " to " + mib(lastHeap));
		}
	}

	private String report(Instant start, Map<String, Long> closes, Map<String, Long> attempts,
			Map<String, Long> served) {
		long total = closes.values().stream().mapToLong(Long::longValue).sum();
		double seconds = Duration.between(start, Instant.now()).toMillis() / 1000.0;
		StringBuilder report = new StringBuilder();
		report.append("## Soak: ").append(this.duration.toMinutes()).append(" min, ").append(attempts.size());
		report.append(" upstreams, reconnect every 100 ms (").append(Runtime.version()).append(")\n\n");
		report.append(String.format("%d closes recorded, %.0f per second%n%n", total, total / seconds));
		report.append("| upstream | server connections | attempts | recorded closes |\n|---|---|---|---|\n");
		attempts.keySet()
			.stream()
			.sorted()
			.forEach((name) -> report.append(String.format("| %s | %s | %d | %d |%n", name,
					served.containsKey(name) ? served.get(name).toString() : "—", attempts.get(name),
					closes.getOrDefault(name, 0L))));
		report.append("\n| minute | threads (max) | open files (max) | RSS (max) | heap after full GC (min) |\n");
		report.append("|---|---|---|---|---|\n");
		for (long minute = 1; minute <= this.duration.toMinutes(); minute++) {
			Duration from = Duration.ofMinutes(minute - 1);
			Duration to = Duration.ofMinutes(minute);
			List<Sample> in = within(this.samples, from, to);
			List<Sample> heap = within(this.heaps, from, to.plusSeconds(5));
			if (in.isEmpty()) {
				continue;
			}
			report.append(String.format("| %d | %d | %d | %s | %s |%n", minute,
					in.stream().mapToInt(Sample::threads).max().orElseThrow(),
					in.stream().mapToInt(Sample::files).max().orElseThrow(),
					mib(in.stream().mapToLong(Sample::bytes).max().orElseThrow()),
					heap.isEmpty() ? "—" : mib(minBytes(heap))));
		}
		return report.toString();
	}

	private static List<Sample> within(List<Sample> samples, Duration from, Duration to) {
		return samples.stream().filter((s) -> s.at().compareTo(from) >= 0 && s.at().compareTo(to) < 0).toList();
	}

	private static long minBytes(List<Sample> samples) {
		return samples.stream().mapToLong(Sample::bytes).min().orElseThrow();
	}

	private static String mib(long bytes) {
		return String.format("%.1f MiB", bytes / (1024.0 * 1024.0));
	}

	private long heapAfterGc(Process app) throws Exception {
		jcmd(app, "GC.run");
		long heap = 0;
		Matcher series = SERIES.matcher(scrape());
		while (series.find()) {
			if (series.group(1).equals("jvm_memory_used_bytes") && series.group(2).contains("area=\"heap\"")) {
				heap += (long) Double.parseDouble(series.group(3));
			}
		}
		return heap;
	}

	private static int threads(Process app) throws IOException {
		return Integer.parseInt(status(app, "Threads:"));
	}

	private static long residentBytes(Process app) throws IOException {
		return Long.parseLong(status(app, "VmRSS:").replace("kB", "").trim()) * 1024;
	}

	private static String status(Process app, String field) throws IOException {
		for (String line : Files.readAllLines(Path.of("/proc", Long.toString(app.pid()), "status"))) {
			if (line.startsWith(field)) {
				return line.substring(field.length()).trim();
			}
		}
		throw new IOException("No " + field + " in /proc/" + app.pid() + "/status");
	}

	private static int openFiles(Process app) throws IOException {
		try (Stream<Path> fds = Files.list(Path.of("/proc", Long.toString(app.pid()), "fd"))) {
			return (int) fds.count();
		}
	}

	private static void jcmd(Process app, String command) throws Exception {
		Path jcmd = Path.of(javaCommand()).resolveSibling("jcmd");
		Process process = new ProcessBuilder(jcmd.toString(), Long.toString(app.pid()), command)
			.redirectErrorStream(true)
			.redirectOutput(ProcessBuilder.Redirect.DISCARD)
			.start();
		if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
			process.destroyForcibly();
			throw new IllegalStateException("jcmd " + command + " failed");
		}
	}

	private String scrape() throws Exception {
		return get("/actuator/prometheus");
	}

	private String get(String path) throws IOException, InterruptedException {
		HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + path))
			.timeout(Duration.ofSeconds(30))
			.build();
		return this.http.send(request, HttpResponse.BodyHandlers.ofString()).body();
	}

	private void stop(Process app) throws InterruptedException {
		app.destroy();
		if (!app.waitFor(60, TimeUnit.SECONDS)) {
			app.destroyForcibly();
			app.waitFor(10, TimeUnit.SECONDS);
		}
	}

	private String logTail() {
		try {
			List<String> lines = Files.readAllLines(this.work.resolve("closewatch.log"));
			return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
		}
		catch (IOException ex) {
			return "(no log: " + ex.getMessage() + ")";
		}
	}

	private static String javaCommand() {
		return ProcessHandle.current().info().command().orElse("java");
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

	private static Map<String, String> options(String[] args) {
		Map<String, String> options = new LinkedHashMap<>();
		for (int i = 0; i + 1 < args.length; i += 2) {
			options.put(args[i], args[i + 1]);
		}
		return options;
	}

	private static String required(Map<String, String> options, String name) {
		String value = options.get(name);
		if (value == null) {
			throw new IllegalArgumentException(
					"usage: SoakRun --jar <closewatch jar> [--duration 4m] [--report <file>]");
		}
		return value;
	}

	private static void deleteRecursively(Path directory) throws IOException {
		try (Stream<Path> paths = Files.walk(directory)) {
			for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
				Files.deleteIfExists(path);
			}
		}
	}

	/**
	 * One reading of the closewatch process.
	 *
	 * @param at time since the soak started
	 * @param threads its threads
	 * @param files its open file descriptors
	 * @param bytes resident memory, or the heap after a full GC
	 */
	private record Sample(Duration at, int threads, int files, long bytes) {
	}

}
