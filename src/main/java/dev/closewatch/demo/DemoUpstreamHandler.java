package dev.closewatch.demo;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicInteger;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.scheduling.TaskScheduler;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.adapter.NativeWebSocketSession;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.handler.TextWebSocketHandler;

/**
 * A demo upstream that streams a tick every half second and ends each connection after a
 * few seconds, rotating through clean closes, server errors, an application code and an
 * abrupt drop without a Close frame.
 */
class DemoUpstreamHandler extends TextWebSocketHandler {

	private static final Logger logger = LoggerFactory.getLogger(DemoUpstreamHandler.class);

	static final List<CloseStatus> ROTATION = List.of(new CloseStatus(1000, "demo: normal closure"),
			new CloseStatus(1012, "demo: service restart"), new CloseStatus(1011, "demo: internal error"),
			new CloseStatus(4000, "demo: application-defined"), CloseStatus.NO_CLOSE_FRAME,
			new CloseStatus(1001, "demo: going away"));

	private final TaskScheduler scheduler;

	private final Clock clock;

	private final Duration sessionLength;

	private final AtomicInteger sessions = new AtomicInteger();

	DemoUpstreamHandler(TaskScheduler scheduler, Clock clock, Duration sessionLength) {
		this.scheduler = scheduler;
		this.clock = clock;
		this.sessionLength = sessionLength;
	}

	@Override
	public void afterConnectionEstablished(WebSocketSession session) {
		CloseStatus ending = ROTATION.get(Math.floorMod(this.sessions.getAndIncrement(), ROTATION.size()));
		ScheduledFuture<?> ticks = this.scheduler.scheduleAtFixedRate(() -> tick(session), Duration.ofMillis(500));
		this.scheduler.schedule(() -> {
			ticks.cancel(false);
			end(session, ending);
		}, this.clock.instant().plus(this.sessionLength));
	}

	private void tick(WebSocketSession session) {
		try {
			if (session.isOpen()) {
				synchronized (session) {
					session.sendMessage(new TextMessage("{\"tick\":\"" + this.clock.instant() + "\"}"));
				}
			}
		}
		catch (IOException | RuntimeException ex) {
			logger.debug("Demo tick failed", ex);
		}
	}

	private void end(WebSocketSession session, CloseStatus ending) {
		try {
			if (ending.equals(CloseStatus.NO_CLOSE_FRAME)) {
				drop(session);
			}
			else {
				session.close(ending);
			}
		}
		catch (IOException | RuntimeException ex) {
			logger.debug("Demo close failed", ex);
		}
	}

	// 1006 is never sent on the wire (RFC 6455 §7.4.1): drop TCP without a Close frame
	private void drop(WebSocketSession session) throws IOException {
		if (session instanceof NativeWebSocketSession nativeSession
				&& nativeSession.getNativeSession() instanceof org.eclipse.jetty.websocket.api.Session jetty) {
			jetty.disconnect();
		}
		else {
			session.close(CloseStatus.SERVER_ERROR);
		}
	}

}
