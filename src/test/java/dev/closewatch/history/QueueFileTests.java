package dev.closewatch.history;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import dev.closewatch.closeevent.CloseEvent;
import dev.closewatch.closeevent.Initiator;
import dev.closewatch.closeevent.Phase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static dev.closewatch.history.TestCloseEvents.closeEvent;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class QueueFileTests {

	@TempDir
	Path directory;

	@Test
	void keepsAnEventForTheNextStartUntilItsBatchCommits() throws IOException {
		QueueFile file = open();
		CloseEvent committed = closeEvent(1).build();
		CloseEvent queued = closeEvent(2).build();
		assertThat(file.add(committed)).isTrue();
		assertThat(file.add(queued)).isTrue();
		file.remove(List.of(committed));

		assertThat(nextStart(file)).containsExactly(queued);
	}

	@Test
	void readsBackEveryFieldExactly() throws IOException {
		Instant closedAt = Instant.parse("2026-12-06T13:00:00.123456789Z");
		CloseEvent full = new CloseEvent(1_765_000_000_000_001L, "prices-eu", closedAt.minusSeconds(9),
				closedAt.minusSeconds(8), closedAt, Duration.ofSeconds(8, 987), 4001, "überlastet \uD83D\uDE80", false,
				true, Initiator.TRANSPORT, Phase.CLOSING, 101, "java.io.EOFException", "reset by peer", 7,
				1_234_567_890L, 1011, "wire reason");
		CloseEvent sparse = new CloseEvent(1_765_000_000_000_002L, "quotes", closedAt, null, closedAt, Duration.ZERO,
				1006, "", false, true, Initiator.TRANSPORT, Phase.HANDSHAKE, null, null, null, 1, 0, null, null);
		QueueFile file = open();
		file.add(full);
		file.add(sparse);

		assertThat(nextStart(file)).containsExactly(full, sparse);
	}

	@Test
	void takesNoEventWhoseSlotStillHoldsAnUncommittedOne() throws IOException {
		QueueFile file = open();
		CloseEvent first = closeEvent(5).build();
		CloseEvent sameSlot = closeEvent(5 + QueueFile.SLOTS).build();
		file.add(first);

		assertThat(file.add(sameSlot)).isFalse();
		file.remove(first);
		assertThat(file.add(sameSlot)).isTrue();
		assertThat(nextStart(file)).containsExactly(sameSlot);
	}

	@Test
	void takesNoEventLargerThanASlotAndFreesItsSlot() throws IOException {
		try (QueueFile file = open()) {
			CloseEvent large = closeEvent(3).error("x".repeat(QueueFile.SLOT_BYTES)).build();

			assertThat(file.add(large)).isFalse();
			assertThat(file.size()).isZero();
			assertThat(file.add(closeEvent(3).build())).isTrue();
		}
	}

	@Test
	void freesOnlyTheSlotOfTheEventCommitted() throws IOException {
		QueueFile file = open();
		CloseEvent held = closeEvent(9).build();
		file.add(held);

		file.remove(closeEvent(9 + QueueFile.SLOTS).build());
		assertThat(nextStart(file)).containsExactly(held);
	}

	@Test
	void skipsSlotsLeftHalfWrittenOrDamaged() throws IOException {
		QueueFile file = open();
		file.add(closeEvent(1).build());
		file.add(closeEvent(2).reason("flipped").build());
		file.add(closeEvent(3).build());
		try (FileChannel channel = FileChannel.open(path(), StandardOpenOption.READ, StandardOpenOption.WRITE)) {
			// event 2's last byte changed: its checksum no longer matches
			int lengthAt = 2 * QueueFile.SLOT_BYTES + 8;
			ByteBuffer length = ByteBuffer.allocate(4).order(ByteOrder.nativeOrder());
			channel.read(length, lengthAt);
			channel.write(ByteBuffer.wrap(new byte[] { 42 }), 2 * QueueFile.SLOT_BYTES + 16L + length.getInt(0) - 1);
			// event 3 claimed but never finished: its state is minus its id
			ByteBuffer claimed = ByteBuffer.allocate(8).order(ByteOrder.nativeOrder()).putLong(0, -3L);
			channel.write(claimed, 3 * QueueFile.SLOT_BYTES);
		}

		assertThat(nextStart(file)).extracting(CloseEvent::id).containsExactly(1L);
	}

	@Test
	void isEmptyAfterClear() throws IOException {
		QueueFile file = open();
		file.add(closeEvent(1).build());
		file.clear();

		assertThat(file.size()).isZero();
		assertThat(nextStart(file)).isEmpty();
	}

	@Test
	void isDeletedWhenLetGoOfEmptyAndKeptWithEvents() throws IOException {
		QueueFile empty = open();
		assertThat(Files.size(path())).isEqualTo((long) QueueFile.SLOTS * QueueFile.SLOT_BYTES);
		empty.close();
		assertThat(path()).doesNotExist();

		try (QueueFile file = open()) {
			file.add(closeEvent(1).build());
		}
		assertThat(path()).exists();
	}

	private QueueFile open() throws IOException {
		return QueueFile.open(path());
	}

	// what the next process finds in the file, once this one has let go of it
	private List<CloseEvent> nextStart(QueueFile file) throws IOException {
		file.close();
		try (QueueFile next = open()) {
			return next.events();
		}
	}

	@Test
	void isHeldByOneProcessAtATime() throws IOException {
		try (QueueFile file = open()) {
			assertThatExceptionOfType(RuntimeException.class).isThrownBy(this::open);
			assertThat(file.add(closeEvent(1).build())).isTrue();
		}
		try (QueueFile next = open()) {
			assertThat(next.events()).extracting(CloseEvent::id).containsExactly(1L);
		}
	}

	private Path path() {
		return this.directory.resolve("closewatch.db-queue");
	}

}
