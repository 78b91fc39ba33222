package dev.closewatch.demo;

import java.time.Duration;

import jakarta.validation.constraints.Positive;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of the {@code training} profile's run.
 *
 * @param upstreams how many upstreams monitor the demo upstream (read by
 * {@link TrainingEnvironment} before binding)
 * @param closes how many close events the run waits for before its last round of requests
 * @param maxDuration the bound on that wait; a run that does not see its closes by then
 * fails
 */
@ConfigurationProperties("closewatch.training")
@Validated
record TrainingProperties(@DefaultValue(TrainingProperties.DEFAULT_UPSTREAMS) @Positive int upstreams,
		@DefaultValue("5000") @Positive long closes, @DefaultValue("60s") Duration maxDuration) {

	// also read by TrainingEnvironment, before binding
	static final String DEFAULT_UPSTREAMS = "500";

}
