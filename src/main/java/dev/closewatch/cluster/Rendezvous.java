package dev.closewatch.cluster;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * Highest-random-weight (rendezvous) hashing of shards over members: a shard belongs to
 * the member with the highest score for it. When a member joins it takes about 1/(M+1) of
 * the shards, each from whoever had it; when one leaves only its own shards move, each to
 * the member with the next score. Every replica computes the same answer from the same
 * member list, with no coordination beyond agreeing on who is live.
 */
final class Rendezvous {

	private Rendezvous() {
	}

	/**
	 * The owner of every shard.
	 * @param members the live members (any order)
	 * @param shards how many shards
	 * @return the owner of each shard by index; {@code null} entries without members
	 */
	static @Nullable String[] owners(List<String> members, int shards) {
		String[] owners = new String[shards];
		long[] seeds = new long[members.size()];
		for (int m = 0; m < seeds.length; m++) {
			seeds[m] = fnv1a(members.get(m));
		}
		for (int shard = 0; shard < shards; shard++) {
			long best = 0;
			for (int m = 0; m < seeds.length; m++) {
				long score = mix(seeds[m] ^ mix(shard + 1L));
				if (owners[shard] == null || Long.compareUnsigned(score, best) > 0
						|| (score == best && members.get(m).compareTo(owners[shard]) < 0)) {
					best = score;
					owners[shard] = members.get(m);
				}
			}
		}
		return owners;
	}

	// FNV-1a, 64 bits, over the member id's UTF-8 bytes
	private static long fnv1a(String text) {
		long hash = 0xcbf29ce484222325L;
		for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
			hash ^= (b & 0xff);
			hash *= 0x100000001b3L;
		}
		return hash;
	}

	// SplitMix64's finaliser: every input bit moves every output bit
	private static long mix(long value) {
		long z = value + 0x9e3779b97f4a7c15L;
		z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
		z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
		return z ^ (z >>> 31);
	}

}
