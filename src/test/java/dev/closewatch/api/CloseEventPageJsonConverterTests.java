package dev.closewatch.api;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.List;

import dev.closewatch.closeevent.CloseEvent;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpOutputMessage;
import org.springframework.http.MediaType;

import static dev.closewatch.history.TestCloseEvents.closeEvent;
import static org.assertj.core.api.Assertions.assertThat;

class CloseEventPageJsonConverterTests {

	private final JsonMapper jsonMapper = JsonMapper.builder().findAndAddModules().build();

	private final CloseEventPageJsonConverter converter = new CloseEventPageJsonConverter(this.jsonMapper,
			new CloseEventJsonCache(this.jsonMapper::writeValueAsBytes));

	@Test
	void writesExactlyWhatTheMapperWritesForThePage() throws Exception {
		List<CloseEvent> events = List.of(closeEvent(3).reason("déjà vu \"quoted\" ✓").build(),
				closeEvent(2).handshakeFailure().build(), closeEvent(1).sessionOf(Duration.ofSeconds(90)).build());
		for (CloseEventPage page : List.of(new CloseEventPage(events, "MjUw"), new CloseEventPage(events, null),
				new CloseEventPage(List.of(), null), new CloseEventPage(events.subList(0, 1), "a\"b"))) {
			assertThat(write(page)).isEqualTo(this.jsonMapper.writeValueAsString(page));
		}
	}

	@Test
	void serialisesEachEventOnceAcrossPages() {
		CloseEvent event = closeEvent(7).build();

		byte[] first = this.converter.json(event);

		assertThat(this.converter.json(event)).isSameAs(first);
		assertThat(this.converter.json(closeEvent(8).build())).isNotSameAs(first);
	}

	@Test
	void writesPagesOnlyAsJson() {
		assertThat(this.converter.canWrite(CloseEventPage.class, MediaType.APPLICATION_JSON)).isTrue();
		assertThat(this.converter.canWrite(CloseEventPage.class, MediaType.APPLICATION_XML)).isFalse();
		assertThat(this.converter.canWrite(CloseEvent.class, MediaType.APPLICATION_JSON)).isFalse();
		assertThat(this.converter.canRead(CloseEventPage.class, MediaType.APPLICATION_JSON)).isFalse();
	}

	private String write(CloseEventPage page) throws Exception {
		ByteArrayOutputStream body = new ByteArrayOutputStream();
		this.converter.write(page, MediaType.APPLICATION_JSON, new HttpOutputMessage() {

			private final HttpHeaders headers = new HttpHeaders();

			@Override
			public OutputStream getBody() {
				return body;
			}

			@Override
			public HttpHeaders getHeaders() {
				return this.headers;
			}

		});
		return body.toString(java.nio.charset.StandardCharsets.UTF_8);
	}

}
