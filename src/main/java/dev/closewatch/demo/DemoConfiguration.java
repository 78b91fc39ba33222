package dev.closewatch.demo;

import java.time.Clock;
import java.time.Duration;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Profile;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.web.socket.config.annotation.EnableWebSocket;
import org.springframework.web.socket.config.annotation.WebSocketConfigurer;

/**
 * Serves {@code /demo/upstream} on closewatch's own server when the {@code demo} profile
 * is active, so that a newcomer sees close events within seconds of starting it, and for
 * the {@code training} profile's upstreams ({@link TrainingEnvironment}). Each connection
 * ends after {@code closewatch.demo.session-length} (3 s by default).
 */
@Configuration(proxyBeanMethods = false)
@Profile({ "demo", TrainingEnvironment.PROFILE })
@EnableWebSocket
class DemoConfiguration {

	@Bean
	DemoUpstreamHandler demoUpstreamHandler(TaskScheduler closewatchScheduler, Clock clock,
			@Value("${closewatch.demo.session-length:3s}") Duration sessionLength) {
		return new DemoUpstreamHandler(closewatchScheduler, clock, sessionLength);
	}

	@Bean
	WebSocketConfigurer demoWebSocketConfigurer(DemoUpstreamHandler demoUpstreamHandler) {
		return (registry) -> registry.addHandler(demoUpstreamHandler, "/demo/upstream");
	}

}
