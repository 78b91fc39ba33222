package dev.closewatch.history;

import jakarta.validation.constraints.Positive;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of the close event history.
 *
 * @param capacity how many close events are kept; the oldest is evicted first
 */
@ConfigurationProperties("closewatch.history")
@Validated
record HistoryProperties(@DefaultValue("10000") @Positive int capacity) {

}
