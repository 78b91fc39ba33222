package dev.closewatch.api;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;

/**
 * The clock of the controller slice tests that need one: a fixed instant.
 */
@TestConfiguration(proxyBeanMethods = false)
class FixedApiClock {

	static final Instant NOW = Instant.parse("2026-11-25T10:30:00Z");

	@Bean
	Clock clock() {
		return Clock.fixed(NOW, ZoneOffset.UTC);
	}

}
