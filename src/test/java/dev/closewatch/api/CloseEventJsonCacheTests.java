package dev.closewatch.api;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.closewatch.closeevent.CloseEvent;
import org.junit.jupiter.api.Test;

import static dev.closewatch.history.TestCloseEvents.closeEvent;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class CloseEventJsonCacheTests {

	private final List<CloseEvent> serialised = new ArrayList<>();

	private final CloseEventJsonCache cache = new CloseEventJsonCache((event) -> {
		this.serialised.add(event);
		return Long.toString(event.id()).getBytes(StandardCharsets.US_ASCII);
	});

	@Test
	void serialisesAnEventOnce() {
		CloseEvent event = closeEvent(7).build();

		byte[] first = this.cache.json(event);

		assertThat(this.cache.json(event)).isSameAs(first);
		assertThat(this.serialised).containsExactly(event);
	}

	@Test
	void keepsTheNewestEventsEachInItsOwnSlot() {
		List<CloseEvent> events = new ArrayList<>();
		for (long id = 1_000_000; id < 1_000_000 + CloseEventJsonCache.SLOTS; id++) {
			events.add(closeEvent(id).build());
		}
		events.forEach(this.cache::json);

		events.forEach(this.cache::json);

		assertThat(this.serialised).hasSize(CloseEventJsonCache.SLOTS);
		assertThat(this.cache.size()).isEqualTo(CloseEventJsonCache.SLOTS);
	}

	@Test
	void serialisesAgainAnEventWhoseSlotAnotherIdTook() {
		CloseEvent older = closeEvent(5).build();
		CloseEvent newer = closeEvent(5 + CloseEventJsonCache.SLOTS).build();
		this.cache.json(older);
		this.cache.json(newer);

		this.cache.json(older);

		assertThat(this.serialised).containsExactly(older, newer, older);
	}

	@Test
	void serialisesAnotherInstanceOfTheSameIdOnItsOwn() {
		this.cache.json(closeEvent(9).code(1000).build());

		this.cache.json(closeEvent(9).code(1006).build());

		assertThat(this.serialised).extracting(CloseEvent::code).containsExactly(1000, 1006);
	}

	@Test
	void dropsTheJsonOfAnEventNoLongerHeldElsewhere() {
		CloseEvent kept = closeEvent(1).build();
		this.cache.json(kept);
		serialiseAndForget(closeEvent(2).build());

		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
			System.gc();
			assertThat(this.cache.size()).isEqualTo(1);
		});
		assertThat(this.cache.json(kept)).asString(StandardCharsets.US_ASCII).isEqualTo("1");
	}

	private void serialiseAndForget(CloseEvent event) {
		this.cache.json(event);
		this.serialised.clear();
	}

}
