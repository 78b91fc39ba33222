package dev.closewatch.cluster;

import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;

/**
 * Upstream names to shards: CRC-32 of the name's UTF-8 bytes modulo the shard count, the
 * same in every replica, every JVM and every language (CRC-32 is specified, unlike most
 * hash functions). An upstream never changes shard while the count stays the same.
 */
final class Shards {

	private final int count;

	Shards(int count) {
		if (count < 1 || count > 65536) {
			throw new IllegalArgumentException("closewatch.cluster.shards must be 1-65536, was " + count);
		}
		this.count = count;
	}

	int count() {
		return this.count;
	}

	int shardOf(String upstream) {
		CRC32 crc = new CRC32();
		crc.update(upstream.getBytes(StandardCharsets.UTF_8));
		return (int) (crc.getValue() % this.count);
	}

}
