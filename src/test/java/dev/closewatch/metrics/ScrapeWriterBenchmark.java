package dev.closewatch.metrics;

import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import dev.closewatch.upstream.UpstreamConnected;
import dev.closewatch.upstream.UpstreamState;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.prometheus.PrometheusOutputFormat;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.prometheus.PrometheusScrapeEndpoint;

import static dev.closewatch.history.TestCloseEvents.closeEvent;

/**
 * Does the hand-written text writer still earn its place? Scrapes N steady upstreams
 * (every one open, one in ten over {@code wss:}, one in ten with a close) through
 * {@link UpstreamsScrapeEndpoint} and through Boot's {@link PrometheusScrapeEndpoint} as
 * is, interleaved, after a warm-up, and prints medians, sizes and the ratio, for the
 * default series and with per-upstream timers. A benchmark, not a test: run with
 * {@code bench/scrape-writer.sh [upstreams] [rounds]}.
 */
public final class ScrapeWriterBenchmark {

	private ScrapeWriterBenchmark() {
	}

	public static void main(String[] args) {
		int upstreams = (args.length > 0) ? Integer.parseInt(args[0]) : 10_000;
		int rounds = (args.length > 1) ? Integer.parseInt(args[1]) : 30;
		System.out.printf(Locale.ROOT, "%,d steady upstreams, %d measured scrapes per endpoint after %d warm-up%n",
				upstreams, rounds, rounds);
		System.out.println(
				"| per-upstream timers | endpoint | median ms | p90 ms | allocated MB per scrape | bytes | series |");
		System.out.println("|---|---|---:|---:|---:|---:|---:|");
		for (boolean timers : new boolean[] { false, true }) {
			run(upstreams, rounds, timers);
		}
	}

	private static void run(int count, int rounds, boolean perUpstreamTimers) {
		String[] names = new String[count];
		for (int i = 0; i < count; i++) {
			names[i] = String.format(Locale.ROOT, "upstream-%05d", i);
		}
		TestUpstreams upstreams = new TestUpstreams(names);
		for (int i = 0; i < count; i++) {
			if (i % 10 == 0) {
				upstreams.setUrl(names[i], "wss://127.0.0.1/" + names[i]);
			}
			upstreams.set(names[i], UpstreamState.OPEN, i);
		}
		PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
		CloseEventMetrics metrics = new CloseEventMetrics(upstreams, Clock.systemUTC(), registry, perUpstreamTimers);
		registry.getPrometheusRegistry().register(metrics.collector());
		for (int i = 0; i < count; i++) {
			metrics.onConnected(new UpstreamConnected(names[i], Instant.now(), 1, Duration.ofMillis(5 + i % 50)));
			if (i % 10 == 5) {
				metrics.onClose(closeEvent(i).upstream(names[i]).code(1001).build());
			}
		}
		PrometheusScrapeEndpoint direct = new UpstreamsScrapeEndpoint(registry.getPrometheusRegistry(), null);
		PrometheusScrapeEndpoint library = new PrometheusScrapeEndpoint(registry.getPrometheusRegistry(), null);
		for (int i = 0; i < rounds; i++) {
			scrape(direct);
			scrape(library);
		}
		long[] directNanos = new long[rounds];
		long[] libraryNanos = new long[rounds];
		long directAllocated = 0;
		long libraryAllocated = 0;
		byte[] last = new byte[0];
		byte[] lastLibrary = new byte[0];
		for (int i = 0; i < rounds; i++) {
			long allocated = allocated();
			long start = System.nanoTime();
			last = scrape(direct);
			directNanos[i] = System.nanoTime() - start;
			directAllocated += allocated() - allocated;
			allocated = allocated();
			start = System.nanoTime();
			lastLibrary = scrape(library);
			libraryNanos[i] = System.nanoTime() - start;
			libraryAllocated += allocated() - allocated;
		}
		long series = series(last);
		String label = perUpstreamTimers ? "yes" : "no (default)";
		print(label, "UpstreamsScrapeEndpoint (PrometheusTextWriter)", directNanos, directAllocated / rounds,
				last.length, series);
		print(label, "Boot's PrometheusScrapeEndpoint", libraryNanos, libraryAllocated / rounds, lastLibrary.length,
				series(lastLibrary));
		System.out.printf(Locale.ROOT, "| %s | Boot's / closewatch's | %.2f× |  | %.2f× |  |  |%n", label,
				median(libraryNanos) / (double) median(directNanos), libraryAllocated / (double) directAllocated);
	}

	private static byte[] scrape(PrometheusScrapeEndpoint endpoint) {
		WebEndpointResponse<byte[]> response = endpoint.scrape(PrometheusOutputFormat.CONTENT_TYPE_004, null);
		return response.getBody();
	}

	private static long series(byte[] body) {
		List<String> samples = new ArrayList<>();
		new String(body, java.nio.charset.StandardCharsets.UTF_8).lines()
			.filter((line) -> !line.isEmpty() && line.charAt(0) != '#')
			.forEach(samples::add);
		return samples.size();
	}

	private static void print(String timers, String writer, long[] nanos, long allocated, int bytes, long series) {
		long[] sorted = nanos.clone();
		Arrays.sort(sorted);
		System.out.printf(Locale.ROOT, "| %s | %s | %.1f | %.1f | %.1f | %,d | %,d |%n", timers, writer,
				median(nanos) / 1e6, sorted[(int) (sorted.length * 0.9)] / 1e6, allocated / 1e6, bytes, series);
	}

	private static long allocated() {
		return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
	}

	private static long median(long[] nanos) {
		long[] sorted = nanos.clone();
		Arrays.sort(sorted);
		return sorted[sorted.length / 2];
	}

}
