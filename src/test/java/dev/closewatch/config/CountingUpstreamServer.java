package dev.closewatch.config;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.handler.AbstractWebSocketHandler;

/**
 * A WebSocket endpoint that keeps every connection open and counts, per path, the
 * connections opened, those open now, and the close codes the client sent: the upstream
 * server's own view of what closewatch did.
 */
class CountingUpstreamServer extends AbstractWebSocketHandler {

	private final Map<String, AtomicInteger> opened = new ConcurrentHashMap<>();

	private final Map<String, AtomicInteger> open = new ConcurrentHashMap<>();

	private final Map<String, String> lastClose = new ConcurrentHashMap<>();

	@Override
	public void afterConnectionEstablished(WebSocketSession session) {
		String path = path(session);
		count(this.opened, path).incrementAndGet();
		count(this.open, path).incrementAndGet();
	}

	@Override
	public void afterConnectionClosed(WebSocketSession session, CloseStatus status) {
		String path = path(session);
		count(this.open, path).decrementAndGet();
		this.lastClose.put(path, status.getCode() + " " + status.getReason());
	}

	int opened(String name) {
		return count(this.opened, "/upstream/" + name).get();
	}

	int open(String name) {
		return count(this.open, "/upstream/" + name).get();
	}

	int totalOpened() {
		return this.opened.values().stream().mapToInt(AtomicInteger::get).sum();
	}

	String lastClose(String name) {
		return this.lastClose.getOrDefault("/upstream/" + name, "");
	}

	private static AtomicInteger count(Map<String, AtomicInteger> counts, String path) {
		return counts.computeIfAbsent(path, (key) -> new AtomicInteger());
	}

	private static String path(WebSocketSession session) {
		return (session.getUri() != null) ? session.getUri().getPath() : "";
	}

}
