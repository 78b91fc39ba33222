package dev.closewatch.api;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import dev.closewatch.closeevent.CloseEvent;
import org.jspecify.annotations.Nullable;

/**
 * The opaque paging cursor of the close event list: the base64url-encoded id of the last
 * event of the previous page.
 */
final class CloseEventCursor {

	static final String PARAMETER = "cursor";

	private CloseEventCursor() {
	}

	static String after(CloseEvent last) {
		return after(last.id());
	}

	static String after(long lastId) {
		byte[] id = Long.toString(lastId).getBytes(StandardCharsets.US_ASCII);
		return Base64.getUrlEncoder().withoutPadding().encodeToString(id);
	}

	/**
	 * Return the id below which the next page starts.
	 */
	static long decode(String cursor) {
		try {
			String id = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.US_ASCII);
			long beforeId = Long.parseLong(id);
			if (beforeId >= 0) {
				return beforeId;
			}
		}
		catch (IllegalArgumentException ex) {
			throw invalid(cursor, ex);
		}
		throw invalid(cursor, null);
	}

	private static InvalidParameterException invalid(String cursor, @Nullable Throwable cause) {
		return new InvalidParameterException(PARAMETER, cursor, "must be a 'next' value of an earlier page", cause);
	}

}
