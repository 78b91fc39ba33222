package dev.closewatch.metrics;

import java.util.Arrays;

/**
 * The largest value recorded in a sliding window, rotated the way Micrometer's
 * {@code TimeWindowMax} is (three buffers over two minutes), so that the exported
 * {@code _max} series keep their meaning. Not thread-safe: its {@link UpstreamTally}
 * guards it.
 */
final class WindowMax {

	static final long WINDOW_MILLIS = 120_000;

	private static final int BUFFERS = 3;

	private static final long ROTATE_MILLIS = WINDOW_MILLIS / BUFFERS;

	private final double[] buffers = new double[BUFFERS];

	private int current;

	private long lastRotation;

	WindowMax(long nowMillis) {
		this.lastRotation = nowMillis;
	}

	void record(double value, long nowMillis) {
		rotate(nowMillis);
		for (int i = 0; i < BUFFERS; i++) {
			if (value > this.buffers[i]) {
				this.buffers[i] = value;
			}
		}
	}

	double poll(long nowMillis) {
		rotate(nowMillis);
		return this.buffers[this.current];
	}

	private void rotate(long nowMillis) {
		long elapsed = nowMillis - this.lastRotation;
		if (elapsed < ROTATE_MILLIS) {
			return;
		}
		if (elapsed >= WINDOW_MILLIS) {
			Arrays.fill(this.buffers, 0);
			this.current = 0;
			this.lastRotation = nowMillis - (elapsed % ROTATE_MILLIS);
			return;
		}
		long rotations = elapsed / ROTATE_MILLIS;
		for (long i = 0; i < rotations; i++) {
			this.buffers[this.current] = 0;
			this.current = (this.current + 1) % BUFFERS;
		}
		this.lastRotation += rotations * ROTATE_MILLIS;
	}

}
