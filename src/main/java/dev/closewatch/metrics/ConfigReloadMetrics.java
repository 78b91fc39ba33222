package dev.closewatch.metrics;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import dev.closewatch.upstream.UpstreamSourceReloaded;
import dev.closewatch.upstream.UpstreamSources;
import dev.closewatch.upstream.UpstreamSources.SourceState;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.event.EventListener;

/**
 * How the last reload of each source of upstreams went, named as Prometheus names its
 * own: {@code closewatch_config_last_reload_successful{source}} and
 * {@code closewatch_config_last_reload_success_timestamp_seconds{source}}.
 */
class ConfigReloadMetrics implements MeterBinder {

	private final ObjectProvider<UpstreamSources> sources;

	private final Set<String> registered = ConcurrentHashMap.newKeySet();

	private volatile @Nullable MeterRegistry registry;

	ConfigReloadMetrics(ObjectProvider<UpstreamSources> sources) {
		this.sources = sources;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		this.registry = registry;
		this.sources.ifAvailable((sources) -> sources.states().forEach((state) -> register(state.source())));
	}

	@EventListener
	void onReloaded(UpstreamSourceReloaded reloaded) {
		register(reloaded.source());
	}

	private void register(String source) {
		MeterRegistry registry = this.registry;
		if (registry == null || !this.registered.add(source)) {
			return;
		}
		Gauge.builder("closewatch.config.last.reload.successful", () -> successful(source))
			.description("Whether the last reload of the source's upstreams succeeded (1) or not (0)")
			.tag("source", source)
			.register(registry);
		Gauge.builder("closewatch.config.last.reload.success.timestamp", () -> lastSuccess(source))
			.description("When the source's upstreams were last applied, in seconds since the epoch")
			.tag("source", source)
			.baseUnit("seconds")
			.register(registry);
	}

	private double successful(String source) {
		SourceState state = state(source);
		return (state != null && state.successful()) ? 1 : 0;
	}

	private double lastSuccess(String source) {
		SourceState state = state(source);
		return (state != null && state.lastSuccess() != null) ? state.lastSuccess().toEpochMilli() / 1000.0 : 0;
	}

	private @Nullable SourceState state(String source) {
		UpstreamSources sources = this.sources.getIfAvailable();
		if (sources == null) {
			return null;
		}
		return sources.states().stream().filter((state) -> state.source().equals(source)).findFirst().orElse(null);
	}

}
