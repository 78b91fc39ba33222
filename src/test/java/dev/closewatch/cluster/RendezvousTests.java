package dev.closewatch.cluster;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class RendezvousTests {

	private static final int SHARDS = 1024;

	@Test
	void givesEveryShardToExactlyOneMemberWhateverTheOrderOfTheList() {
		String[] owners = Rendezvous.owners(List.of("a", "b", "c"), SHARDS);
		String[] reordered = Rendezvous.owners(List.of("c", "a", "b"), SHARDS);

		assertThat(owners).doesNotContainNull().containsExactly(reordered);
	}

	@ParameterizedTest(name = "{0} members")
	@ValueSource(ints = { 2, 3, 5, 10 })
	void balancesShardsWithinThirtyPercentOfTheMean(int members) {
		List<String> names = new ArrayList<>();
		for (int i = 0; i < members; i++) {
			names.add("closewatch-" + i);
		}
		Map<String, Long> counts = count(Rendezvous.owners(names, SHARDS));

		double mean = (double) SHARDS / members;
		assertThat(counts).hasSize(members);
		assertThat(counts.values()).allSatisfy((count) -> assertThat(count / mean).isLessThanOrEqualTo(1.3));
	}

	@Test
	void movesOnlyShardsToAJoiningMemberAboutItsShare() {
		String[] before = Rendezvous.owners(List.of("a", "b", "c"), SHARDS);
		String[] after = Rendezvous.owners(List.of("a", "b", "c", "d"), SHARDS);

		int moved = 0;
		for (int shard = 0; shard < SHARDS; shard++) {
			if (!before[shard].equals(after[shard])) {
				assertThat(after[shard]).isEqualTo("d");
				moved++;
			}
		}
		assertThat(moved).isBetween(SHARDS / 4 - 50, SHARDS / 4 + 50);
	}

	@Test
	void movesOnlyTheShardsOfALeavingMember() {
		String[] before = Rendezvous.owners(List.of("a", "b", "c"), SHARDS);
		String[] after = Rendezvous.owners(List.of("a", "c"), SHARDS);

		for (int shard = 0; shard < SHARDS; shard++) {
			if (!before[shard].equals("b")) {
				assertThat(after[shard]).isEqualTo(before[shard]);
			}
		}
	}

	@Test
	void leavesShardsWithoutOwnerWithoutMembers() {
		assertThat(Rendezvous.owners(List.of(), 4)).containsOnlyNulls();
	}

	private static Map<String, Long> count(String[] owners) {
		return Arrays.stream(owners).collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
	}

}
