package dev.closewatch.api;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

import static dev.closewatch.history.TestCloseEvents.closeEvent;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class CloseEventStreamClientTests {

	private final ExecutorService writers = Executors.newSingleThreadExecutor();

	private final RecordingEmitter emitter = new RecordingEmitter();

	private final AtomicInteger ends = new AtomicInteger();

	@AfterEach
	void stopWriters() {
		this.emitter.release();
		this.writers.shutdownNow();
	}

	private CloseEventStreamClient client(String upstream, long afterId, int buffer) {
		return new CloseEventStreamClient(this.emitter, upstream, afterId, buffer,
				(event) -> ("{\"id\":" + event.id() + "}").getBytes(StandardCharsets.UTF_8), this.writers,
				(client) -> this.ends.incrementAndGet());
	}

	@Test
	void sendsBacklogOldestFirstThenLiveEventsOnce() {
		CloseEventStreamClient client = client(null, 1, 10);
		client.offer(closeEvent(3).build());

		client.start(List.of(closeEvent(2).build(), closeEvent(3).build()));
		client.offer(closeEvent(4).build());

		await().untilAsserted(() -> assertThat(this.emitter.ids()).containsExactly(2L, 3L, 4L));
	}

	@Test
	void holdsLiveEventsUntilStarted() {
		CloseEventStreamClient client = client(null, -1, 10);
		client.offer(closeEvent(1).build());

		assertThat(this.emitter.ids()).isEmpty();
		client.start(List.of());

		await().untilAsserted(() -> assertThat(this.emitter.ids()).containsExactly(1L));
	}

	@Test
	void skipsEventsOfOtherUpstreamsAndNotAfterLastEventId() {
		CloseEventStreamClient client = client("prices", 5, 10);
		client.start(List.of());

		client.offer(closeEvent(5).build());
		client.offer(closeEvent(6).upstream("chat").build());
		client.offer(closeEvent(7).build());

		await().untilAsserted(() -> assertThat(this.emitter.ids()).containsExactly(7L));
	}

	@Test
	void dropsClientWhoseBufferIsFullWithoutBlockingThePublisher() {
		CloseEventStreamClient client = client(null, -1, 3);
		this.emitter.blockSends();
		client.start(List.of());
		client.offer(closeEvent(1).build());
		await().until(this.emitter::blocked);

		long started = System.nanoTime();
		for (int id = 2; id <= 10_000; id++) {
			client.offer(closeEvent(id).build());
		}

		assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started)).isLessThan(2000);
		assertThat(client.isDropped()).isTrue();
		assertThat(this.ends).hasValue(1);
		this.emitter.release();
		await().untilAsserted(() -> assertThat(this.emitter.completed).isTrue());
		assertThat(this.emitter.ids()).hasSizeLessThanOrEqualTo(4);
	}

	@Test
	void sendsHeartbeatCommentWhenIdle() {
		CloseEventStreamClient client = client(null, -1, 10);
		client.start(List.of());

		client.heartbeat();

		await().untilAsserted(() -> assertThat(this.emitter.sent).anyMatch((text) -> text.contains(":heartbeat")));
	}

	@Test
	void endsOnceWhenTheClientGoesAway() {
		CloseEventStreamClient client = client(null, -1, 10);
		this.emitter.failSends();
		client.start(List.of());

		client.offer(closeEvent(1).build());

		await().untilAsserted(() -> assertThat(this.ends).hasValue(1));
		client.offer(closeEvent(2).build());
		assertThat(this.ends).hasValue(1);
	}

	/**
	 * Records what would be written, and can block or fail writes like a slow or vanished
	 * client.
	 */
	static class RecordingEmitter extends SseEmitter {

		private static final Pattern ID = Pattern.compile("^id:(\\d+)$", Pattern.MULTILINE);

		final List<String> sent = new CopyOnWriteArrayList<>();

		private final CountDownLatch release = new CountDownLatch(1);

		private volatile boolean block;

		private volatile boolean blocked;

		private volatile boolean fail;

		volatile boolean completed;

		void blockSends() {
			this.block = true;
		}

		void failSends() {
			this.fail = true;
		}

		boolean blocked() {
			return this.blocked;
		}

		void release() {
			this.release.countDown();
		}

		@Override
		public void send(SseEventBuilder builder) throws IOException {
			if (this.fail) {
				throw new IOException("Broken pipe");
			}
			if (this.block) {
				this.blocked = true;
				try {
					this.release.await();
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
			}
			StringBuilder text = new StringBuilder();
			builder.build().forEach((part) -> text.append(part.getData()));
			this.sent.add(text.toString());
		}

		@Override
		public void complete() {
			this.completed = true;
		}

		List<Long> ids() {
			return this.sent.stream()
				.map(ID::matcher)
				.filter(Matcher::find)
				.map((matcher) -> Long.parseLong(matcher.group(1)))
				.toList();
		}

	}

}
