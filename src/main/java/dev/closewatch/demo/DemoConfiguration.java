package dev.closewatch.demo;

import java.time.Clock;
import java.time.Duration;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Profile;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.web.socket.config.annotation.EnableWebSocket;
import org.springframework.web.socket.config.annotation.WebSocketConfigurer;

/**
 * Serves {@code /demo/upstream} on closewatch's own server when the {@code demo} profile
 * is active, so that a newcomer sees close events within seconds of starting it.
 */
@Configuration(proxyBeanMethods = false)
@Profile("demo")
@EnableWebSocket
class DemoConfiguration {

	@Bean
	DemoUpstreamHandler demoUpstreamHandler(TaskScheduler closewatchScheduler, Clock clock) {
		return new DemoUpstreamHandler(closewatchScheduler, clock, Duration.ofSeconds(3));
	}

	@Bean
	WebSocketConfigurer demoWebSocketConfigurer(DemoUpstreamHandler demoUpstreamHandler) {
		return (registry) -> registry.addHandler(demoUpstreamHandler, "/demo/upstream");
	}

}
