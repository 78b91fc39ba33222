package dev.closewatch.api;

import java.time.Duration;

import jakarta.validation.constraints.Positive;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of the live close event stream ({@code /api/v1/close-events/stream}).
 *
 * @param heartbeat how often an idle stream gets a comment line, so that proxies keep it
 * open and a vanished client is noticed
 * @param buffer how many events may wait for one client; a client that falls further
 * behind is disconnected rather than slowing closewatch down
 */
@ConfigurationProperties("closewatch.stream")
@Validated
record StreamProperties(@DefaultValue("15s") Duration heartbeat, @DefaultValue("1000") @Positive int buffer) {

	StreamProperties {
		if (heartbeat.isNegative() || heartbeat.isZero()) {
			throw new IllegalArgumentException("closewatch.stream.heartbeat must be positive, was " + heartbeat);
		}
	}

}
