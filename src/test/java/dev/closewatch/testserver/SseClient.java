package dev.closewatch.testserver;

import java.io.Closeable;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Reads a Server-Sent Events stream line by line with {@link HttpClient}, as a browser's
 * {@code EventSource} would, and hands out whole events and comments.
 */
public final class SseClient implements Closeable {

	private final HttpResponse<Stream<String>> response;

	private final BlockingQueue<Message> messages = new LinkedBlockingQueue<>();

	private final Thread reader;

	private SseClient(HttpResponse<Stream<String>> response) {
		this.response = response;
		this.reader = new Thread(this::read, "sse-test-client");
		this.reader.setDaemon(true);
		this.reader.start();
	}

	/**
	 * Connect and wait for the response headers.
	 * @param uri the stream's URI
	 * @param headers header names and values, alternating
	 * @return the connected client
	 * @throws Exception if the request fails
	 */
	public static SseClient connect(URI uri, String... headers) throws Exception {
		HttpRequest.Builder request = HttpRequest.newBuilder(uri).header("Accept", "text/event-stream");
		for (int i = 0; i < headers.length; i += 2) {
			request.header(headers[i], headers[i + 1]);
		}
		HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
		return new SseClient(client.send(request.build(), BodyHandlers.ofLines()));
	}

	public HttpResponse<Stream<String>> response() {
		return this.response;
	}

	/**
	 * Return the next event, skipping comments.
	 * @param timeout how long to wait
	 * @return the event, or {@code null} if none arrived in time
	 * @throws InterruptedException if interrupted
	 */
	public Event nextEvent(Duration timeout) throws InterruptedException {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (true) {
			Message message = this.messages.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
			if (message == null || message instanceof Event) {
				return (Event) message;
			}
		}
	}

	/**
	 * Return the next comment line's text, skipping events.
	 * @param timeout how long to wait
	 * @return the comment, or {@code null} if none arrived in time
	 * @throws InterruptedException if interrupted
	 */
	public String nextComment(Duration timeout) throws InterruptedException {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (true) {
			Message message = this.messages.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
			if (message == null) {
				return null;
			}
			if (message instanceof Comment comment) {
				return comment.text();
			}
		}
	}

	private void read() {
		List<String> data = new ArrayList<>();
		String[] fields = new String[2];
		try (Stream<String> lines = this.response.body()) {
			lines.forEach((line) -> {
				if (line.isEmpty()) {
					if (!data.isEmpty()) {
						this.messages.add(new Event(fields[0], fields[1], String.join("\n", data)));
					}
					data.clear();
					fields[0] = null;
					fields[1] = null;
				}
				else if (line.startsWith(":")) {
					this.messages.add(new Comment(line.substring(1).strip()));
				}
				else {
					int colon = line.indexOf(':');
					String field = (colon >= 0) ? line.substring(0, colon) : line;
					String value = (colon >= 0) ? line.substring(colon + 1) : "";
					value = value.startsWith(" ") ? value.substring(1) : value;
					switch (field) {
						case "id" -> fields[0] = value;
						case "event" -> fields[1] = value;
						case "data" -> data.add(value);
						default -> {
						}
					}
				}
			});
		}
		catch (RuntimeException ex) {
			// closed
		}
	}

	@Override
	public void close() {
		this.response.body().close();
		this.reader.interrupt();
	}

	/**
	 * Something the server sent.
	 */
	public sealed interface Message permits Event, Comment {

	}

	/**
	 * One dispatched event.
	 *
	 * @param id the {@code id} field
	 * @param name the {@code event} field
	 * @param data the joined {@code data} lines
	 */
	public record Event(String id, String name, String data) implements Message {

	}

	/**
	 * One comment line.
	 *
	 * @param text the text after the colon
	 */
	public record Comment(String text) implements Message {

	}

}
