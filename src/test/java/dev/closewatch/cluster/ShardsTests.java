package dev.closewatch.cluster;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class ShardsTests {

	// CRC-32 of the UTF-8 name, as zlib.crc32 in Python or crc32() in PostgreSQL
	// extensions
	// compute it: replicas of different versions must agree, so these never change
	@ParameterizedTest(name = "{0} -> {1} of 256, {2} of 1024")
	@CsvSource(textBlock = """
			prices,    89,  345
			chat,      170, 682
			u00001,    175, 687
			orders-eu, 22,  278
			""")
	void mapsANameToTheSameShardInEveryReplicaAndVersion(String name, int of256, int of1024) {
		assertThat(new Shards(256).shardOf(name)).isEqualTo(of256);
		assertThat(new Shards(1024).shardOf(name)).isEqualTo(of1024);
	}

	@Test
	void spreadsManyNamesEvenlyOverTheShards() {
		Shards shards = new Shards(256);
		int[] counts = new int[256];
		for (int i = 0; i < 25_600; i++) {
			counts[shards.shardOf(String.format("u%05d", i))]++;
		}
		for (int count : counts) {
			assertThat(count).isBetween(50, 150);
		}
	}

	@Test
	void refusesACountOutsideOneToSixtyFiveThousandFiveHundredThirtySix() {
		assertThatIllegalArgumentException().isThrownBy(() -> new Shards(0))
			.withMessageContaining("closewatch.cluster.shards");
		assertThatIllegalArgumentException().isThrownBy(() -> new Shards(65537));
	}

}
