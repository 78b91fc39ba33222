package dev.closewatch.metrics;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.DataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricMetadata;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.SummarySnapshot;
import io.prometheus.metrics.model.snapshots.SummarySnapshot.SummaryDataPointSnapshot;

/**
 * The Prometheus text format 0.0.4 for plain counters, gauges and summaries without
 * quantiles, written straight into bytes, as client_java's
 * {@code PrometheusTextFormatWriter} writes them: the same lines, numbers and escaping
 * ({@code PrometheusTextWriterTests} compares the two byte for byte). The library writes
 * through a {@code Writer} character by character, which at 10,000 upstreams (240,000
 * series) was 60 % of a scrape (docs/performance.md, round 4).
 * <p>
 * It is also the scrape's buffer: whatever the library writes (every other family) goes
 * into the same bytes through {@link ByteArrayOutputStream}.
 */
final class PrometheusTextWriter extends ByteArrayOutputStream {

	PrometheusTextWriter(int capacity) {
		super(capacity);
	}

	/**
	 * Whether {@link #write(MetricSnapshot)} writes the snapshot as the library would: no
	 * exemplars, timestamps, units or quantiles, and metric and label names that no
	 * escaping scheme changes.
	 * @param snapshot the snapshot
	 * @return whether it is written here
	 */
	static boolean supports(MetricSnapshot snapshot) {
		if (!(snapshot instanceof CounterSnapshot || snapshot instanceof GaugeSnapshot
				|| snapshot instanceof SummarySnapshot) || !plainName(snapshot.getMetadata().getName())
				|| !snapshot.getMetadata().getName().equals(snapshot.getMetadata().getPrometheusName())
				|| snapshot.getMetadata().getUnit() != null) {
			return false;
		}
		Labels checked = Labels.EMPTY;
		for (DataPointSnapshot point : snapshot.getDataPoints()) {
			if (point.hasScrapeTimestamp() || point.hasCreatedTimestamp()
					|| (point instanceof CounterDataPointSnapshot counter && counter.getExemplar() != null)
					|| (point instanceof GaugeDataPointSnapshot gauge && gauge.getExemplar() != null)
					|| (point instanceof SummaryDataPointSnapshot summary && (summary.getQuantiles().size() > 0
							|| summary.getExemplars().size() > 0 || !summary.hasCount() || !summary.hasSum()))) {
				return false;
			}
			Labels labels = point.getLabels();
			if (!sameNames(labels, checked)) {
				for (int i = 0; i < labels.size(); i++) {
					if (!plainName(labels.getName(i)) || !labels.getName(i).equals(labels.getPrometheusName(i))) {
						return false;
					}
				}
				checked = labels;
			}
		}
		return true;
	}

	// the points of a family mostly share their label names: check them once
	private static boolean sameNames(Labels labels, Labels checked) {
		if (labels.size() != checked.size()) {
			return false;
		}
		for (int i = 0; i < labels.size(); i++) {
			if (!labels.getName(i).equals(checked.getName(i))) {
				return false;
			}
		}
		return true;
	}

	// [a-zA-Z_][a-zA-Z0-9_]*: written as is in every escaping scheme
	private static boolean plainName(String name) {
		if (name.isEmpty()) {
			return false;
		}
		for (int i = 0; i < name.length(); i++) {
			char c = name.charAt(i);
			boolean letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
			if (!letter && (i == 0 || c < '0' || c > '9')) {
				return false;
			}
		}
		return true;
	}

	/**
	 * Write one family; only for snapshots this class {@link #supports}.
	 * @param snapshot the family
	 */
	void write(MetricSnapshot snapshot) {
		if (snapshot.getDataPoints().isEmpty()) {
			return;
		}
		MetricMetadata metadata = snapshot.getMetadata();
		String name = metadata.getPrometheusName();
		if (snapshot instanceof CounterSnapshot counter) {
			String total = name + "_total";
			metadata(total, "counter", metadata.getHelp());
			for (CounterDataPointSnapshot point : counter.getDataPoints()) {
				sample(total, point.getLabels(), point.getValue());
			}
		}
		else if (snapshot instanceof GaugeSnapshot gauge) {
			metadata(name, "gauge", metadata.getHelp());
			for (GaugeDataPointSnapshot point : gauge.getDataPoints()) {
				sample(name, point.getLabels(), point.getValue());
			}
		}
		else {
			metadata(name, "summary", metadata.getHelp());
			String count = name + "_count";
			String sum = name + "_sum";
			for (SummaryDataPointSnapshot point : ((SummarySnapshot) snapshot).getDataPoints()) {
				nameAndLabels(count, point.getLabels());
				ascii(Long.toString(point.getCount()));
				newline();
				sample(sum, point.getLabels(), point.getSum());
			}
		}
	}

	private void metadata(String name, String type, String help) {
		if (help != null) {
			ascii("# HELP ");
			ascii(name);
			append(' ');
			escaped(help, false);
			newline();
		}
		ascii("# TYPE ");
		ascii(name);
		append(' ');
		ascii(type);
		newline();
	}

	private void sample(String name, Labels labels, double value) {
		nameAndLabels(name, labels);
		if (value == Double.POSITIVE_INFINITY) {
			ascii("+Inf");
		}
		else if (value == Double.NEGATIVE_INFINITY) {
			ascii("-Inf");
		}
		else {
			ascii(Double.toString(value));
		}
		newline();
	}

	private void nameAndLabels(String name, Labels labels) {
		ascii(name);
		if (!labels.isEmpty()) {
			append('{');
			for (int i = 0; i < labels.size(); i++) {
				if (i > 0) {
					append(',');
				}
				ascii(labels.getPrometheusName(i));
				append('=');
				append('"');
				escaped(labels.getValue(i), true);
				append('"');
			}
			append('}');
		}
		append(' ');
	}

	private void newline() {
		append('\n');
	}

	// backslash and newline, and in label values the double quote, as the library
	// escapes them; other characters in UTF-8
	private void escaped(String text, boolean labelValue) {
		for (int i = 0; i < text.length(); i++) {
			char c = text.charAt(i);
			if (c == '\\') {
				append('\\');
				append('\\');
			}
			else if (c == '\n') {
				append('\\');
				append('n');
			}
			else if (c == '"' && labelValue) {
				append('\\');
				append('"');
			}
			else if (c < 0x80) {
				append(c);
			}
			else {
				int end = i + 1;
				while (end < text.length() && text.charAt(end) >= 0x80) {
					end++;
				}
				byte[] utf8 = text.substring(i, end).getBytes(StandardCharsets.UTF_8);
				ensure(utf8.length);
				System.arraycopy(utf8, 0, this.buf, this.count, utf8.length);
				this.count += utf8.length;
				i = end - 1;
			}
		}
	}

	// names and numbers: ASCII by construction
	private void ascii(String text) {
		int length = text.length();
		ensure(length);
		byte[] buf = this.buf;
		int at = this.count;
		for (int i = 0; i < length; i++) {
			buf[at + i] = (byte) text.charAt(i);
		}
		this.count = at + length;
	}

	private void append(char c) {
		ensure(1);
		this.buf[this.count++] = (byte) c;
	}

	private void ensure(int more) {
		if (this.count + more > this.buf.length) {
			this.buf = Arrays.copyOf(this.buf, Math.max(this.buf.length * 2, this.count + more));
		}
	}

}
