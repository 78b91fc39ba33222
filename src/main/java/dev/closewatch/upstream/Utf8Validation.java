package dev.closewatch.upstream;

import java.nio.ByteBuffer;

/**
 * Incremental UTF-8 validation of a text message across its frames (RFC 3629 §4: no
 * overlong forms, no surrogates, nothing above U+10FFFF). Jetty's core session leaves
 * text payloads unchecked, while a browser fails the connection on the first invalid byte
 * (RFC 6455 §8.1).
 */
final class Utf8Validation {

	private int needed;

	private int lower = 0x80;

	private int upper = 0xBF;

	/**
	 * Feed the next bytes of the message.
	 * @param bytes the bytes, left unconsumed
	 * @return whether the message is still valid
	 */
	boolean accept(ByteBuffer bytes) {
		for (int i = bytes.position(); i < bytes.limit(); i++) {
			if (!accept(bytes.get(i) & 0xFF)) {
				return false;
			}
		}
		return true;
	}

	/**
	 * End the message.
	 * @return whether the message ended on a complete character; the state is reset
	 */
	boolean end() {
		boolean complete = this.needed == 0;
		this.needed = 0;
		this.lower = 0x80;
		this.upper = 0xBF;
		return complete;
	}

	private boolean accept(int b) {
		if (this.needed > 0) {
			if (b < this.lower || b > this.upper) {
				return false;
			}
			this.needed--;
			this.lower = 0x80;
			this.upper = 0xBF;
			return true;
		}
		if (b <= 0x7F) {
			return true;
		}
		if (b >= 0xC2 && b <= 0xDF) {
			return expect(1, 0x80, 0xBF);
		}
		if (b == 0xE0) {
			return expect(2, 0xA0, 0xBF);
		}
		if (b == 0xED) {
			return expect(2, 0x80, 0x9F);
		}
		if (b >= 0xE1 && b <= 0xEF) {
			return expect(2, 0x80, 0xBF);
		}
		if (b == 0xF0) {
			return expect(3, 0x90, 0xBF);
		}
		if (b >= 0xF1 && b <= 0xF3) {
			return expect(3, 0x80, 0xBF);
		}
		if (b == 0xF4) {
			return expect(3, 0x80, 0x8F);
		}
		return false;
	}

	private boolean expect(int needed, int lower, int upper) {
		this.needed = needed;
		this.lower = lower;
		this.upper = upper;
		return true;
	}

}
