package dev.closewatch.history;

import java.util.ArrayList;
import java.util.List;

import dev.closewatch.closeevent.CloseEvent;
import org.junit.jupiter.api.Test;

import static dev.closewatch.history.TestCloseEvents.EPOCH;
import static dev.closewatch.history.TestCloseEvents.closeEvent;
import static org.assertj.core.api.Assertions.assertThat;

class IdOrderedEventsTests {

	private final IdOrderedEvents events = new IdOrderedEvents();

	@Test
	void keepsIdOrderWhenEventsArriveOutOfOrder() {
		for (long id : new long[] { 3, 1, 5, 2, 4 }) {
			this.events.add(closeEvent(id).build());
		}

		assertThat(ids()).containsExactly(1L, 2L, 3L, 4L, 5L);
	}

	@Test
	void keepsIdOrderThroughGrowingWrappingAndShrinking() {
		long next = 1;
		long oldest = 1;
		for (int round = 0; round < 3; round++) {
			for (int i = 0; i < 100; i++) {
				this.events.add(closeEvent(next++).build());
				this.events.removeOldest();
				oldest++;
				this.events.add(closeEvent(next++).build());
			}
			while (this.events.size() > 3) {
				assertThat(this.events.removeOldest().id()).isEqualTo(oldest++);
			}
		}

		assertThat(ids()).containsExactly(next - 3, next - 2, next - 1);
	}

	@Test
	void countsIdsBelowAnId() {
		for (long id : new long[] { 10, 20, 30 }) {
			this.events.add(closeEvent(id).build());
		}

		assertThat(this.events.countBelow(5)).isZero();
		assertThat(this.events.countBelow(20)).isEqualTo(1);
		assertThat(this.events.countBelow(21)).isEqualTo(2);
		assertThat(this.events.countBelow(100)).isEqualTo(3);
	}

	@Test
	void countsOnlyTheEventsCertainlyClosedBeforeAnInstant() {
		// closedAt in seconds after EPOCH, not in id order
		int[] closedAt = { 10, 30, 20, 25, 40 };
		for (int i = 0; i < closedAt.length; i++) {
			this.events.add(closeEvent(i + 1).closedAt(EPOCH.plusSeconds(closedAt[i])).build());
		}

		assertThat(this.events.countClosedBefore(EPOCH.plusSeconds(10))).isZero();
		assertThat(this.events.countClosedBefore(EPOCH.plusSeconds(22))).isEqualTo(1);
		assertThat(this.events.countClosedBefore(EPOCH.plusSeconds(35))).isEqualTo(4);
		assertThat(this.events.countClosedBefore(EPOCH.plusSeconds(41))).isEqualTo(5);
	}

	@Test
	void countsNoEventCertainlyClosedBeforeAnInstantAfterALateInsertThatClosedAfterIt() {
		this.events.add(closeEvent(1).closedAt(EPOCH.plusSeconds(1)).build());
		this.events.add(closeEvent(3).closedAt(EPOCH.plusSeconds(3)).build());
		this.events.add(closeEvent(4).closedAt(EPOCH.plusSeconds(4)).build());

		this.events.add(closeEvent(2).closedAt(EPOCH.plusSeconds(9)).build());

		assertThat(this.events.countClosedBefore(EPOCH.plusSeconds(5))).isEqualTo(1);
	}

	@Test
	void findsRecordedIds() {
		this.events.add(closeEvent(2).build());
		this.events.add(closeEvent(4).build());

		assertThat(this.events.contains(2)).isTrue();
		assertThat(this.events.contains(3)).isFalse();
		assertThat(this.events.contains(5)).isFalse();
	}

	private List<Long> ids() {
		List<Long> ids = new ArrayList<>();
		for (int i = 0; i < this.events.size(); i++) {
			CloseEvent event = this.events.get(i);
			ids.add(event.id());
		}
		return ids;
	}

}
