package dev.closewatch.metrics;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

import io.prometheus.metrics.model.snapshots.Labels;

/**
 * The {@code code} and {@code clean} labels of a close count, validated once per value
 * pair and shared by every upstream: at most 4,000 codes plus {@code other}, each clean
 * or not.
 *
 * @param code the code label: 1000-4999 verbatim, else {@code other}
 * @param clean whether the close was clean
 * @param labels the two labels, ready to merge with an upstream's
 */
record CloseLabels(String code, boolean clean, Labels labels) {

	private static final String OTHER_CODE = "other";

	private static final ConcurrentMap<Integer, CloseLabels> CACHE = new ConcurrentHashMap<>();

	static CloseLabels of(int code, boolean clean) {
		int tag = (code >= 1000 && code <= 4999) ? code : -1;
		return CACHE.computeIfAbsent(tag * 2 + (clean ? 1 : 0), (key) -> {
			String codeTag = (tag > 0) ? String.valueOf(tag) : OTHER_CODE;
			return new CloseLabels(codeTag, clean, Labels.of("clean", String.valueOf(clean), "code", codeTag));
		});
	}

}
