package dev.closewatch.history;

import java.io.Closeable;
import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.zip.CRC32C;

import dev.closewatch.closeevent.CloseEvent;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * The close events recorded but not committed yet, in a file mapped into memory: an event
 * is in the operating system's page cache as soon as it is recorded, so a crash of
 * closewatch ({@code kill -9}, an OOM kill) cannot take it back, and the list may show it
 * at once instead of after the writer's commit. The next start writes what the file still
 * holds to the store (an event already stored is left as it is) before anything else
 * reads or writes the history.
 * <p>
 * Adding an event is a few stores into memory on the recording thread: no system call, no
 * lock, no wait. The file is {@link #SLOTS} slots of {@link #SLOT_BYTES}; an event's slot
 * follows from its id (ids of one process are consecutive), and is free again once its
 * batch has committed. An event does not go in when its slot still holds an uncommitted
 * one (the writer is {@link #SLOTS} events behind, for example while the disk is full) or
 * when it does not fit in a slot (an error message of most of a kilobyte): it is then
 * listed after its commit, as without this file. Like SQLite's {@code synchronous=NORMAL}
 * log, the file is not synced: a crash of the machine itself may lose its last seconds.
 * <p>
 * A slot: its state (8 bytes: 0 free; minus the id while the event is being written; the
 * id once it is whole), the event's length and CRC-32C (4 bytes each), the event
 * ({@link CloseEventBytes}). A slot in any other state after a crash is skipped.
 */
final class QueueFile implements Closeable {

	static final int SLOTS = 8192;

	static final int SLOT_BYTES = 1024;

	private static final int HEADER_BYTES = 16;

	private static final VarHandle STATE = MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.nativeOrder());

	private static final Log logger = LogFactory.getLog(QueueFile.class);

	private final Path path;

	private final FileChannel channel;

	private final ByteBuffer buffer;

	private QueueFile(Path path, FileChannel channel, MappedByteBuffer buffer) {
		this.path = path;
		this.channel = channel;
		this.buffer = buffer.order(ByteOrder.nativeOrder());
	}

	/**
	 * Open (or create) the file, as it was left.
	 * @param path the file
	 * @return the queue file
	 * @throws IOException if it cannot be opened and mapped
	 */
	static QueueFile open(Path path) throws IOException {
		long size = (long) SLOTS * SLOT_BYTES;
		FileChannel channel = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.READ,
				StandardOpenOption.WRITE);
		try {
			// one process's at a time; the lock goes with the process, however it ends
			FileLock lock = channel.tryLock();
			if (lock == null) {
				throw new IOException("another process holds it");
			}
			allocate(channel, size);
			return new QueueFile(path, channel, channel.map(FileChannel.MapMode.READ_WRITE, 0, size));
		}
		catch (IOException | RuntimeException ex) {
			channel.close();
			throw ex;
		}
	}

	/**
	 * Give the file up to the next process: the events it holds stay in it, and an empty
	 * file is deleted.
	 */
	@Override
	public void close() throws IOException {
		try {
			if (this.channel.isOpen() && size() == 0) {
				Files.deleteIfExists(this.path);
			}
		}
		finally {
			this.channel.close();
		}
	}

	// Written out rather than left sparse: a store into a hole of a mapped file on a full
	// disk would be a SIGBUS, not an error to handle; now a full disk fails the start.
	private static void allocate(FileChannel channel, long size) throws IOException {
		ByteBuffer zeros = ByteBuffer.allocate(64 * 1024);
		for (long at = channel.size(); at < size; at += zeros.capacity()) {
			zeros.clear().limit((int) Math.min(zeros.capacity(), size - at));
			while (zeros.hasRemaining()) {
				channel.write(zeros, at + zeros.position());
			}
		}
		channel.force(true);
	}

	Path path() {
		return this.path;
	}

	/**
	 * Keep an event until its batch has committed.
	 * @param event the event
	 * @return whether it is kept; {@code false} when its slot is taken or it does not fit
	 */
	boolean add(CloseEvent event) {
		long id = event.id();
		int slot = slot(id);
		if (id <= 0 || !STATE.compareAndSet(this.buffer, slot, 0L, -id)) {
			return false;
		}
		int length = CloseEventBytes.write(event, this.buffer, slot + HEADER_BYTES, SLOT_BYTES - HEADER_BYTES);
		if (length < 0) {
			STATE.setRelease(this.buffer, slot, 0L);
			return false;
		}
		this.buffer.putInt(slot + 8, length);
		this.buffer.putInt(slot + 12, crc(slot, length));
		STATE.setRelease(this.buffer, slot, id);
		return true;
	}

	/**
	 * Free the slots of committed events; an event that was never added is passed over.
	 * @param committed the events
	 */
	void remove(List<CloseEvent> committed) {
		for (CloseEvent event : committed) {
			remove(event);
		}
	}

	void remove(CloseEvent event) {
		STATE.compareAndSet(this.buffer, slot(event.id()), event.id(), 0L);
	}

	/**
	 * Return the whole events the file holds, by id; to be called before any is added.
	 */
	List<CloseEvent> events() {
		List<CloseEvent> events = new ArrayList<>();
		int damaged = 0;
		for (int slot = 0; slot < SLOTS * SLOT_BYTES; slot += SLOT_BYTES) {
			long id = (long) STATE.getAcquire(this.buffer, slot);
			if (id == 0) {
				continue;
			}
			int length = this.buffer.getInt(slot + 8);
			CloseEvent event = null;
			if (id > 0 && length > 0 && length <= SLOT_BYTES - HEADER_BYTES
					&& this.buffer.getInt(slot + 12) == crc(slot, length)) {
				try {
					event = CloseEventBytes.read(this.buffer, slot + HEADER_BYTES, length);
				}
				catch (IllegalArgumentException ex) {
					// damaged, counted below
				}
			}
			if (event != null && event.id() == id) {
				events.add(event);
			}
			else {
				damaged++;
			}
		}
		if (damaged > 0) {
			logger.warn(damaged + " slots of " + this.path + " held no whole close event (a crash while one was "
					+ "being recorded, or a damaged file) and were skipped");
		}
		events.sort(Comparator.comparingLong(CloseEvent::id));
		return events;
	}

	/**
	 * Free every slot.
	 */
	void clear() {
		for (int slot = 0; slot < SLOTS * SLOT_BYTES; slot += SLOT_BYTES) {
			STATE.setRelease(this.buffer, slot, 0L);
		}
	}

	/**
	 * Return how many slots hold an event or one being written.
	 */
	int size() {
		int size = 0;
		for (int slot = 0; slot < SLOTS * SLOT_BYTES; slot += SLOT_BYTES) {
			if ((long) STATE.getAcquire(this.buffer, slot) != 0) {
				size++;
			}
		}
		return size;
	}

	private static int slot(long id) {
		return (int) Math.floorMod(id, (long) SLOTS) * SLOT_BYTES;
	}

	private int crc(int slot, int length) {
		CRC32C crc = new CRC32C();
		crc.update(this.buffer.slice(slot + HEADER_BYTES, length));
		return (int) crc.getValue();
	}

}
