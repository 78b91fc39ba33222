package dev.closewatch.api;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

import org.jspecify.annotations.Nullable;

/**
 * Strict {@code application/x-www-form-urlencoded} decoding of one query component: a
 * {@code %} must be followed by two hex digits, {@code +} is a space, and the bytes must
 * be UTF-8 (WHATWG URL "percent-decode", without its lenient replacement characters).
 */
final class PercentDecoding {

	private PercentDecoding() {
	}

	/**
	 * Decode a component.
	 * @param encoded the component as sent
	 * @return the decoded text, or {@code null} if it is not percent-encoded UTF-8
	 */
	static @Nullable String decode(String encoded) {
		ByteArrayOutputStream bytes = new ByteArrayOutputStream(encoded.length());
		for (int i = 0; i < encoded.length(); i++) {
			char c = encoded.charAt(i);
			if (c == '%') {
				int high = (i + 2 < encoded.length()) ? Character.digit(encoded.charAt(i + 1), 16) : -1;
				int low = (high >= 0) ? Character.digit(encoded.charAt(i + 2), 16) : -1;
				if (low < 0) {
					return null;
				}
				bytes.write((high << 4) | low);
				i += 2;
			}
			else if (c == '+') {
				bytes.write(' ');
			}
			else if (c < 0x80) {
				bytes.write(c);
			}
			else {
				// a raw non-ASCII character: its UTF-8 bytes (an unpaired surrogate
				// fails)
				int end = (Character.isHighSurrogate(c) && i + 1 < encoded.length()) ? i + 2 : i + 1;
				byte[] utf8 = utf8(encoded.substring(i, end));
				if (utf8 == null) {
					return null;
				}
				bytes.writeBytes(utf8);
				i = end - 1;
			}
		}
		try {
			return StandardCharsets.UTF_8.newDecoder()
				.onMalformedInput(CodingErrorAction.REPORT)
				.onUnmappableCharacter(CodingErrorAction.REPORT)
				.decode(ByteBuffer.wrap(bytes.toByteArray()))
				.toString();
		}
		catch (CharacterCodingException ex) {
			return null;
		}
	}

	private static byte @Nullable [] utf8(String text) {
		try {
			ByteBuffer encoded = StandardCharsets.UTF_8.newEncoder()
				.onMalformedInput(CodingErrorAction.REPORT)
				.onUnmappableCharacter(CodingErrorAction.REPORT)
				.encode(CharBuffer.wrap(text));
			byte[] bytes = new byte[encoded.remaining()];
			encoded.get(bytes);
			return bytes;
		}
		catch (CharacterCodingException ex) {
			return null;
		}
	}

}
