package dev.closewatch.config;

import java.time.Duration;
import java.util.List;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Files of upstream definitions that closewatch watches and applies while it runs.
 *
 * @param upstreamFiles paths or globs (in the file name only, such as
 * {@code /etc/closewatch/upstreams/*.yaml}) of YAML or JSON files, each shaped as
 * {@code closewatch.upstreams}
 * @param upstreamFilesQuietPeriod how long a file must stay unchanged after an event
 * before it is read, so that an editor's or Kubernetes' several writes apply once
 * @param upstreamFilesRefresh how often every file is read again whatever the events, in
 * case an event was missed
 */
@ConfigurationProperties("closewatch")
record UpstreamFileProperties(@Nullable List<String> upstreamFiles,
		@DefaultValue("2s") Duration upstreamFilesQuietPeriod, @DefaultValue("5m") Duration upstreamFilesRefresh) {

	UpstreamFileProperties {
		upstreamFiles = (upstreamFiles != null) ? List.copyOf(upstreamFiles) : List.of();
		if (upstreamFilesQuietPeriod.isNegative()) {
			throw new IllegalArgumentException(
					"closewatch.upstream-files-quiet-period must not be negative, was " + upstreamFilesQuietPeriod);
		}
		if (upstreamFilesRefresh.isNegative() || upstreamFilesRefresh.isZero()) {
			throw new IllegalArgumentException(
					"closewatch.upstream-files-refresh must be positive, was " + upstreamFilesRefresh);
		}
	}

	@Override
	public List<String> upstreamFiles() {
		return (this.upstreamFiles != null) ? this.upstreamFiles : List.of();
	}

}
