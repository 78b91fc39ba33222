package dev.closewatch.history;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * Whether the last write to the history store succeeded.
 *
 * @param up whether it did
 * @param since when the store came up or went down
 * @param error why the last write failed, {@code null} while up
 */
record StoreState(boolean up, Instant since, @Nullable String error) {

	static StoreState up(Instant since) {
		return new StoreState(true, since, null);
	}

	StoreState failed(Instant at, String error) {
		return new StoreState(false, this.up ? at : this.since, error);
	}

	StoreState succeeded(Instant at) {
		return this.up ? this : up(at);
	}

}
