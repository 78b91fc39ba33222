package dev.closewatch.netfault;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Network faults between closewatch and its upstream server, each proven to end in the
 * close it should and to heal by itself. Runs inside the client network namespace that
 * {@code .ci/netfault.sh} creates; the server runs in the other one, reached over two
 * veth pairs (one for the feeds, one for the 1 MiB messages, so that the bandwidth cap
 * touches only those). Faults use what the kernel offers: iptables {@code statistic} for
 * random loss and {@code DROP} on input for a blackhole (packets vanish, no RST), a
 * {@code tbf} qdisc for the bandwidth cap, and {@link DelayRelay} for latency.
 * <p>
 * Usage (in the client namespace): {@code java -cp target/test-classes
 * dev.closewatch.netfault.NetFaultRun --jar <jar> --server-ns <ns> --feed-ip <ip>
 * --big-ip <ip> --big-if <server-side interface> [--report <file>]}
 */
public final class NetFaultRun {

	private static final Duration PING_INTERVAL = Duration.ofSeconds(1);

	private static final Duration PONG_TIMEOUT = Duration.ofSeconds(2);

	private static final Duration STALE_AFTER = Duration.ofSeconds(3);

	private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(2);

	private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(3);

	private static final Duration RECONNECT_DELAY = Duration.ofMillis(500);

	// the liveness sweep's tick (a tenth of the shortest setting) and scheduling noise
	private static final Duration SLACK = Duration.ofMillis(1500);

	private static final List<String> UPSTREAMS = List.of("pinged", "stale", "lagged", "big", "big-patient");

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	private final Map<String, String> options;

	private final List<String> problems = new ArrayList<>();

	private final StringBuilder report = new StringBuilder();

	private final Path work;

	private int port;

	private NetFaultRun(Map<String, String> options, Path work) {
		this.options = options;
		this.work = work;
	}

	public static void main(String[] args) throws Exception {
		Map<String, String> options = new LinkedHashMap<>();
		for (int i = 0; i + 1 < args.length; i += 2) {
			options.put(args[i], args[i + 1]);
		}
		for (String required : List.of("--jar", "--server-ns", "--feed-ip", "--big-ip", "--big-if")) {
			if (!options.containsKey(required)) {
				throw new IllegalArgumentException("missing " + required);
			}
		}
		Path work = Files.createTempDirectory("closewatch-netfault-");
		NetFaultRun run = new NetFaultRun(options, work);
		try {
			run.run();
		}
		finally {
			System.out.println(run.report);
			if (options.containsKey("--report")) {
				Files.writeString(Path.of(options.get("--report")), run.report);
			}
		}
		if (!run.problems.isEmpty()) {
			System.out.println("NETWORK FAULT RUN FAILED:");
			run.problems.forEach((problem) -> System.out.println("  - " + problem));
			System.exit(1);
		}
		System.out.println("network fault run passed");
	}

	private void run() throws Exception {
		Process server = new ProcessBuilder("ip", "netns", "exec", this.options.get("--server-ns"), javaCommand(),
				"-Xmx256m", "-cp", System.getProperty("java.class.path"), NetFaultServer.class.getName())
			.redirectErrorStream(true)
			.start();
		try {
			int serverPort = serverPort(server);
			String feed = this.options.get("--feed-ip") + ":" + serverPort;
			String big = this.options.get("--big-ip") + ":" + serverPort;
			try (DelayRelay relay = new DelayRelay(new InetSocketAddress(this.options.get("--feed-ip"), serverPort))) {
				this.port = freePort();
				Path config = writeConfig(feed, big, relay.port());
				Process app = new ProcessBuilder(javaCommand(), "-Xmx256m", "-jar", this.options.get("--jar"),
						"--spring.config.additional-location=file:" + config)
					.redirectErrorStream(true)
					.redirectOutput(this.work.resolve("closewatch.log").toFile())
					.start();
				try {
					awaitAllOpen(app, Duration.ofSeconds(120));
					this.report.append("## Network faults (").append(Runtime.version()).append(")\n\n");
					this.report.append("| fault | upstream | recorded | after | bound |\n|---|---|---|---|---|\n");
					latency(relay);
					loss();
					bandwidth();
					blackhole();
				}
				finally {
					app.destroy();
					if (!app.waitFor(30, TimeUnit.SECONDS)) {
						app.destroyForcibly();
					}
					if (!this.problems.isEmpty()) {
						System.out.println(logTail());
					}
				}
			}
		}
		finally {
			server.destroy();
			if (!server.waitFor(10, TimeUnit.SECONDS)) {
				server.destroyForcibly();
			}
		}
	}

	private void latency(DelayRelay relay) throws Exception {
		Instant start = Instant.now();
		double[] before = ping("lagged");
		relay.delayMillis(300);
		Thread.sleep(15_000);
		double[] after = ping("lagged");
		relay.delayMillis(0);
		double mean = (after[1] - before[1]) / Math.max(1, after[0] - before[0]);
		expectNoClose("latency 300 ms", start, UPSTREAMS);
		row("latency 300 ms", "lagged", String.format("no close; ping round trip %.0f ms", mean * 1000), "15 s",
				"pong within " + PONG_TIMEOUT.toSeconds() + " s");
		if (mean < 0.28) {
			this.problems.add("latency: ping round trip " + mean + " s, expected about 0.3 s");
		}
	}

	private void loss() throws Exception {
		Instant start = Instant.now();
		dropInput("-m", "statistic", "--mode", "random", "--probability", "0.05");
		Thread.sleep(20_000);
		clearInput();
		expectNoClose("5 % loss", start, List.of("pinged", "stale", "lagged", "big-patient"));
		row("5 % loss, both ways", "all", closesSince(start, UPSTREAMS) + " closes", "20 s", "none: TCP retransmits");
	}

	private void bandwidth() throws Exception {
		Instant start = Instant.now();
		double[] before = ping("big-patient");
		sh(true, "ip", "netns", "exec", this.options.get("--server-ns"), "tc", "qdisc", "replace", "dev",
				this.options.get("--big-if"), "root", "tbf", "rate", "2mbit", "burst", "32kbit", "latency", "20s");
		Thread.sleep(25_000);
		sh(true, "ip", "netns", "exec", this.options.get("--server-ns"), "tc", "qdisc", "del", "dev",
				this.options.get("--big-if"), "root");
		double[] after = ping("big-patient");
		List<Map<String, Object>> big = closes("big", start);
		Map<String, Object> first = big.isEmpty() ? null : big.get(0);
		if (first == null || !"ping-timeout".equals(first.get("error"))) {
			this.problems.add("bandwidth: 'big' should have been closed with ping-timeout, was " + big);
		}
		else {
			row("2 Mbit/s cap, 1 MiB message", "big (pong-timeout 2 s)", describe(first),
					seconds(start, first) + " after the cap", "pong overdue behind the message");
		}
		expectNoClose("bandwidth", start, List.of("big-patient", "pinged", "stale", "lagged"));
		double mean = (after[1] - before[1]) / Math.max(1, after[0] - before[0]);
		row("2 Mbit/s cap, 1 MiB message", "big-patient (pong-timeout 30 s)",
				String.format("no close; mean ping round trip %.1f s", mean), "25 s", "30 s");
		awaitAllOpen(null, Duration.ofSeconds(30));
	}

	private void blackhole() throws Exception {
		dropInput();
		Instant start = Instant.now();
		Thread.sleep(12_000);
		clearInput();
		Instant healed = Instant.now();
		Duration pingBound = PING_INTERVAL.plus(PONG_TIMEOUT).plus(SLACK);
		firstClose("pinged", start, "ping-timeout", pingBound);
		firstClose("lagged", start, "ping-timeout", pingBound);
		firstClose("big", start, "ping-timeout", pingBound);
		firstClose("stale", start, "close-timeout", STALE_AFTER.plus(CLOSE_TIMEOUT).plus(SLACK));
		connectTimeouts(start, "pinged", "stale");
		Instant open = awaitAllOpen(null, CONNECT_TIMEOUT.plus(RECONNECT_DELAY).plusSeconds(10));
		row("blackhole lifted", "all", "open again",
				String.format("%.1f s", Duration.between(healed, open).toMillis() / 1000.0),
				"connect-timeout + reconnect delay");
	}

	private void firstClose(String upstream, Instant start, String error, Duration bound) throws Exception {
		List<Map<String, Object>> closes = closes(upstream, start);
		if (closes.isEmpty()) {
			this.problems.add("blackhole: no close recorded for " + upstream);
			return;
		}
		Map<String, Object> first = closes.get(0);
		Duration after = Duration.between(start, Instant.parse((String) first.get("closedAt")));
		row("blackhole (drop, no RST)", upstream, describe(first), String.format("%.1f s", after.toMillis() / 1000.0),
				"≤ " + bound.toMillis() / 1000.0 + " s");
		if (!error.equals(first.get("error")) || ((Number) first.get("code")).intValue() != 1006
				|| Boolean.TRUE.equals(first.get("wasClean"))) {
			this.problems.add("blackhole: " + upstream + " should close with 1006 " + error + ", was " + first);
		}
		if (after.compareTo(bound) > 0) {
			this.problems.add("blackhole: " + upstream + " closed after " + after + ", bound " + bound);
		}
	}

	// Upstreams on one host and port share Jetty's HttpDestination, and a connect that
	// times out fails every handshake queued on it at that moment (HttpDestination
	// aborts its queue): those are recorded as connect-timeout sooner. At least one
	// attempt must have waited the whole connect-timeout, and none longer.
	private void connectTimeouts(Instant start, String... upstreams) throws Exception {
		Duration longest = Duration.ZERO;
		for (String upstream : upstreams) {
			List<Map<String, Object>> timeouts = closes(upstream, start).stream()
				.filter((close) -> "connect-timeout".equals(close.get("error")))
				.toList();
			if (timeouts.isEmpty()) {
				this.problems.add("blackhole: no connect-timeout recorded for " + upstream);
				continue;
			}
			for (Map<String, Object> timeout : timeouts) {
				Duration took = Duration.between(Instant.parse((String) timeout.get("startedAt")),
						Instant.parse((String) timeout.get("closedAt")));
				longest = (took.compareTo(longest) > 0) ? took : longest;
				if (took.compareTo(CONNECT_TIMEOUT.plus(SLACK)) > 0) {
					this.problems.add("blackhole: " + upstream + "'s connect-timeout took " + took);
				}
			}
			Map<String, Object> first = timeouts.get(0);
			row("blackhole (drop, no RST)", upstream + " (reconnecting)", describe(first),
					String.format("%.1f s after the attempt began",
							Duration
								.between(Instant.parse((String) first.get("startedAt")),
										Instant.parse((String) first.get("closedAt")))
								.toMillis() / 1000.0),
					"≤ " + CONNECT_TIMEOUT.toSeconds() + " s connect-timeout");
		}
		if (longest.compareTo(CONNECT_TIMEOUT.minusMillis(100)) < 0) {
			this.problems.add("blackhole: no attempt waited the connect-timeout, longest " + longest);
		}
	}

	private void expectNoClose(String fault, Instant start, List<String> upstreams) throws Exception {
		for (String upstream : upstreams) {
			List<Map<String, Object>> closes = closes(upstream, start);
			if (!closes.isEmpty()) {
				this.problems.add(fault + ": " + upstream + " closed: " + closes.get(0));
			}
		}
	}

	private int closesSince(Instant start, List<String> upstreams) throws Exception {
		int count = 0;
		for (String upstream : upstreams) {
			count += closes(upstream, start).size();
		}
		return count;
	}

	private static String describe(Map<String, Object> close) {
		return ((Number) close.get("code")).intValue() + ", wasClean=" + close.get("wasClean") + ", error="
				+ close.get("error");
	}

	private static String seconds(Instant start, Map<String, Object> close) {
		return String.format("%.1f s",
				Duration.between(start, Instant.parse((String) close.get("closedAt"))).toMillis() / 1000.0);
	}

	private void row(String fault, String upstream, String recorded, String after, String bound) {
		this.report.append(String.format("| %s | %s | %s | %s | %s |%n", fault, upstream, recorded, after, bound));
	}

	@SuppressWarnings("unchecked")
	private List<Map<String, Object>> closes(String upstream, Instant since) throws Exception {
		Map<String, Object> page = (Map<String, Object>) MiniJson
			.parse(get("/api/v1/close-events?limit=1000&upstream=" + upstream + "&since=" + since));
		List<Map<String, Object>> items = new ArrayList<>((List<Map<String, Object>>) (List<?>) page.get("items"));
		// oldest first
		java.util.Collections.reverse(items);
		return items;
	}

	@SuppressWarnings("unchecked")
	private Instant awaitAllOpen(Process app, Duration timeout) throws Exception {
		long deadline = System.nanoTime() + timeout.toNanos();
		String last = "";
		while (System.nanoTime() < deadline) {
			if (app != null && !app.isAlive()) {
				throw new IllegalStateException("closewatch exited:\n" + logTail());
			}
			try {
				List<Object> upstreams = (List<Object>) MiniJson.parse(get("/api/v1/upstreams"));
				last = upstreams.toString();
				if (upstreams.stream().allMatch((u) -> "OPEN".equals(((Map<String, Object>) u).get("state")))) {
					return Instant.now();
				}
			}
			catch (IOException ex) {
				// not up yet
			}
			Thread.sleep(250);
		}
		this.problems.add("not every upstream open within " + timeout + ": " + last);
		throw new IllegalStateException(this.problems.get(this.problems.size() - 1));
	}

	private double[] ping(String upstream) throws Exception {
		String metrics = get("/actuator/prometheus");
		return new double[] { metric(metrics, "closewatch_upstream_ping_seconds_count", upstream),
				metric(metrics, "closewatch_upstream_ping_seconds_sum", upstream) };
	}

	private static double metric(String metrics, String name, String upstream) {
		Matcher matcher = Pattern
			.compile("^" + name + "\\{[^}]*upstream=\"" + Pattern.quote(upstream) + "\"[^}]*\\} ([0-9.eE+-]+)",
					Pattern.MULTILINE)
			.matcher(metrics);
		return matcher.find() ? Double.parseDouble(matcher.group(1)) : 0;
	}

	// everything that arrives over the veth pairs, in both namespaces: dropped on
	// input, nobody's send fails and no RST is sent, as in a blackhole
	private void dropInput(String... match) throws IOException, InterruptedException {
		List<String> rule = new ArrayList<>(List.of("iptables", "-w", "-A", "INPUT", "!", "-i", "lo"));
		rule.addAll(Arrays.asList(match));
		rule.addAll(List.of("-j", "DROP"));
		sh(true, rule.toArray(String[]::new));
		List<String> there = new ArrayList<>(List.of("ip", "netns", "exec", this.options.get("--server-ns")));
		there.addAll(rule);
		sh(true, there.toArray(String[]::new));
	}

	private void clearInput() throws IOException, InterruptedException {
		sh(true, "iptables", "-w", "-F", "INPUT");
		sh(true, "ip", "netns", "exec", this.options.get("--server-ns"), "iptables", "-w", "-F", "INPUT");
	}

	private static void sh(boolean required, String... command) throws IOException, InterruptedException {
		Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
		String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		if (!process.waitFor(30, TimeUnit.SECONDS)) {
			process.destroyForcibly();
		}
		if (required && process.exitValue() != 0) {
			throw new IllegalStateException(String.join(" ", command) + " failed: " + output);
		}
	}

	private Path writeConfig(String feed, String big, int relayPort) throws IOException {
		String yaml = """
				server: {address: 127.0.0.1, port: %d}
				logging.level.dev.closewatch.upstream: warn
				closewatch:
				  connect-timeout: %ds
				  close-timeout: %ds
				  startup-spread: 0s
				  reconnect: {strategy: fixed, delay: %dms, jitter: 0}
				  history: {store: memory}
				  metrics: {per-upstream-timers: true}
				  ping-interval: %ds
				  pong-timeout: %ds
				  max-message-size: 2MB
				  upstreams:
				    pinged: {url: "ws://%s/feed"}
				    stale: {url: "ws://%s/feed", ping-interval: 0s, stale-after: %ds}
				    lagged: {url: "ws://127.0.0.1:%d/feed"}
				    big: {url: "ws://%s/big"}
				    big-patient: {url: "ws://%s/big", pong-timeout: 30s}
				""".formatted(this.port, CONNECT_TIMEOUT.toSeconds(), CLOSE_TIMEOUT.toSeconds(),
				RECONNECT_DELAY.toMillis(), PING_INTERVAL.toSeconds(), PONG_TIMEOUT.toSeconds(), feed, feed,
				STALE_AFTER.toSeconds(), relayPort, big, big);
		Path config = this.work.resolve("netfault.yaml");
		Files.writeString(config, yaml);
		return config;
	}

	private static int serverPort(Process server) throws IOException {
		BufferedReader lines = new BufferedReader(
				new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
		for (String line = lines.readLine(); line != null; line = lines.readLine()) {
			if (line.startsWith("PORT ")) {
				return Integer.parseInt(line.substring(5).trim());
			}
		}
		throw new IllegalStateException("The server did not start");
	}

	private String get(String path) throws IOException, InterruptedException {
		HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + path))
			.timeout(Duration.ofSeconds(30))
			.build();
		HttpResponse<String> response = this.http.send(request, HttpResponse.BodyHandlers.ofString());
		if (response.statusCode() != 200) {
			throw new IOException(path + ": " + response.statusCode() + " " + response.body());
		}
		return response.body();
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

}
