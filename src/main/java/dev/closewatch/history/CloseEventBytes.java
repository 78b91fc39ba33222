package dev.closewatch.history;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;

import dev.closewatch.closeevent.CloseEvent;
import dev.closewatch.closeevent.Initiator;
import dev.closewatch.closeevent.Phase;
import org.jspecify.annotations.Nullable;

/**
 * A {@link CloseEvent} as bytes in a region of a buffer, for the {@link QueueFile}: every
 * field exactly (instants and durations to the nanosecond, enums by name), so that an
 * event read back equals the one written. Reads and writes use absolute positions only,
 * so threads may use disjoint regions of one buffer at once.
 */
final class CloseEventBytes {

	// the first byte of every event: another layout gets another number
	static final byte VERSION = 1;

	private static final int NULL = -1;

	private final ByteBuffer buffer;

	private final int end;

	private int at;

	private CloseEventBytes(ByteBuffer buffer, int at, int end) {
		this.buffer = buffer;
		this.at = at;
		this.end = end;
	}

	/**
	 * Write an event into {@code buffer} from {@code at}, in at most {@code room} bytes.
	 * @param event the event
	 * @param buffer the buffer
	 * @param at where the event begins
	 * @param room the most bytes it may take
	 * @return the bytes written, or {@code -1} if the event does not fit
	 */
	static int write(CloseEvent event, ByteBuffer buffer, int at, int room) {
		CloseEventBytes out = new CloseEventBytes(buffer, at, at + room);
		boolean fits = out.putByte(VERSION) && out.putLong(event.id()) && out.putString(event.upstream())
				&& out.putInstant(event.startedAt()) && out.putNullableInstant(event.openedAt())
				&& out.putInstant(event.closedAt()) && out.putLong(event.duration().getSeconds())
				&& out.putInt(event.duration().getNano()) && out.putInt(event.code()) && out.putString(event.reason())
				&& out.putByte((byte) (event.wasClean() ? 1 : 0)) && out.putByte((byte) (event.errorEvent() ? 1 : 0))
				&& out.putString(event.initiator().name()) && out.putString(event.phase().name())
				&& out.putNullableInt(event.handshakeStatus()) && out.putString(event.error())
				&& out.putString(event.errorMessage()) && out.putInt(event.attempt())
				&& out.putLong(event.messagesReceived()) && out.putNullableInt(event.wireCode())
				&& out.putString(event.wireReason());
		return fits ? out.at - at : -1;
	}

	/**
	 * Read the event written at {@code at}.
	 * @param buffer the buffer
	 * @param at where the event begins
	 * @param length its bytes
	 * @return the event
	 * @throws IllegalArgumentException if the bytes are no event of this layout
	 */
	static CloseEvent read(ByteBuffer buffer, int at, int length) {
		CloseEventBytes in = new CloseEventBytes(buffer, at, at + length);
		byte version = in.getByte();
		if (version != VERSION) {
			throw new IllegalArgumentException("layout " + version + ", not " + VERSION);
		}
		long id = in.getLong();
		String upstream = in.getRequiredString();
		Instant startedAt = in.getInstant();
		Instant openedAt = in.getNullableInstant();
		Instant closedAt = in.getInstant();
		Duration duration = Duration.ofSeconds(in.getLong(), in.getInt());
		int code = in.getInt();
		String reason = in.getRequiredString();
		boolean wasClean = in.getByte() != 0;
		boolean errorEvent = in.getByte() != 0;
		Initiator initiator = Initiator.valueOf(in.getRequiredString());
		Phase phase = Phase.valueOf(in.getRequiredString());
		Integer handshakeStatus = in.getNullableInt();
		String error = in.getString();
		String errorMessage = in.getString();
		int attempt = in.getInt();
		long messagesReceived = in.getLong();
		Integer wireCode = in.getNullableInt();
		String wireReason = in.getString();
		if (in.at != in.end) {
			throw new IllegalArgumentException((in.end - in.at) + " bytes left over");
		}
		return new CloseEvent(id, upstream, startedAt, openedAt, closedAt, duration, code, reason, wasClean, errorEvent,
				initiator, phase, handshakeStatus, error, errorMessage, attempt, messagesReceived, wireCode,
				wireReason);
	}

	private boolean room(int bytes) {
		return this.end - this.at >= bytes;
	}

	private boolean putByte(byte value) {
		if (!room(1)) {
			return false;
		}
		this.buffer.put(this.at, value);
		this.at += 1;
		return true;
	}

	private boolean putInt(int value) {
		if (!room(4)) {
			return false;
		}
		this.buffer.putInt(this.at, value);
		this.at += 4;
		return true;
	}

	private boolean putLong(long value) {
		if (!room(8)) {
			return false;
		}
		this.buffer.putLong(this.at, value);
		this.at += 8;
		return true;
	}

	private boolean putInstant(Instant instant) {
		return putLong(instant.getEpochSecond()) && putInt(instant.getNano());
	}

	private boolean putNullableInstant(@Nullable Instant instant) {
		return (instant != null) ? putByte((byte) 1) && putInstant(instant) : putByte((byte) 0);
	}

	private boolean putNullableInt(@Nullable Integer value) {
		return (value != null) ? putByte((byte) 1) && putInt(value) : putByte((byte) 0);
	}

	private boolean putString(@Nullable String value) {
		if (value == null) {
			return putInt(NULL);
		}
		byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
		if (!room(4 + bytes.length)) {
			return false;
		}
		putInt(bytes.length);
		this.buffer.put(this.at, bytes);
		this.at += bytes.length;
		return true;
	}

	private void need(int bytes) {
		if (this.end - this.at < bytes) {
			throw new IllegalArgumentException("cut short at byte " + this.at);
		}
	}

	private byte getByte() {
		need(1);
		byte value = this.buffer.get(this.at);
		this.at += 1;
		return value;
	}

	private int getInt() {
		need(4);
		int value = this.buffer.getInt(this.at);
		this.at += 4;
		return value;
	}

	private long getLong() {
		need(8);
		long value = this.buffer.getLong(this.at);
		this.at += 8;
		return value;
	}

	private Instant getInstant() {
		return Instant.ofEpochSecond(getLong(), getInt());
	}

	private @Nullable Instant getNullableInstant() {
		return (getByte() != 0) ? getInstant() : null;
	}

	private @Nullable Integer getNullableInt() {
		return (getByte() != 0) ? getInt() : null;
	}

	private @Nullable String getString() {
		int length = getInt();
		if (length == NULL) {
			return null;
		}
		if (length < 0) {
			throw new IllegalArgumentException("a string of " + length + " bytes");
		}
		need(length);
		byte[] bytes = new byte[length];
		this.buffer.get(this.at, bytes);
		this.at += length;
		return new String(bytes, StandardCharsets.UTF_8);
	}

	private String getRequiredString() {
		String value = getString();
		if (value == null) {
			throw new IllegalArgumentException("a required string is missing");
		}
		return value;
	}

}
