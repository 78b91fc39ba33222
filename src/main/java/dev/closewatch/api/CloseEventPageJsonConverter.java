package dev.closewatch.api;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

import dev.closewatch.closeevent.CloseEvent;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.HttpInputMessage;
import org.springframework.http.HttpOutputMessage;
import org.springframework.http.MediaType;
import org.springframework.http.converter.AbstractHttpMessageConverter;
import org.springframework.http.converter.HttpMessageNotReadableException;

/**
 * Writes a {@link CloseEventPage} from each event's JSON, serialised once: close events
 * never change, and a client that polls the newest page several times a second would
 * otherwise have the same events serialised again on every poll (docs/performance.md).
 * The bytes are those the application's {@link JsonMapper} writes for the page, which
 * {@code CloseEventPageJsonConverterTests} checks. The JSON is kept in a
 * {@link CloseEventJsonCache}.
 */
final class CloseEventPageJsonConverter extends AbstractHttpMessageConverter<CloseEventPage> {

	private static final byte[] ITEMS = "{\"items\":[".getBytes(StandardCharsets.UTF_8);

	private static final byte[] NEXT = "],\"next\":".getBytes(StandardCharsets.UTF_8);

	private static final byte[] NULL = "null".getBytes(StandardCharsets.UTF_8);

	private final JsonMapper jsonMapper;

	private final CloseEventJsonCache cache;

	CloseEventPageJsonConverter(JsonMapper jsonMapper, CloseEventJsonCache cache) {
		super(MediaType.APPLICATION_JSON);
		this.jsonMapper = jsonMapper;
		this.cache = cache;
	}

	@Override
	protected boolean supports(Class<?> type) {
		return CloseEventPage.class == type;
	}

	@Override
	protected boolean canRead(MediaType mediaType) {
		return false;
	}

	@Override
	protected CloseEventPage readInternal(Class<? extends CloseEventPage> type, HttpInputMessage input) {
		throw new HttpMessageNotReadableException("Close event pages are written, never read", input);
	}

	@Override
	protected void writeInternal(CloseEventPage page, HttpOutputMessage output) throws IOException {
		OutputStream body = output.getBody();
		body.write(ITEMS);
		boolean first = true;
		for (CloseEvent event : page.items()) {
			if (!first) {
				body.write(',');
			}
			body.write(json(event));
			first = false;
		}
		body.write(NEXT);
		body.write((page.next() != null) ? this.jsonMapper.writeValueAsBytes(page.next()) : NULL);
		body.write('}');
	}

	byte[] json(CloseEvent event) {
		return this.cache.json(event);
	}

}
