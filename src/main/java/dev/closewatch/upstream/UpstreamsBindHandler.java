package dev.closewatch.upstream;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import dev.closewatch.upstream.UpstreamProperties.Upstream;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.bind.AbstractBindHandler;
import org.springframework.boot.context.properties.bind.BindContext;
import org.springframework.boot.context.properties.bind.BindHandler;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertyState;

/**
 * Binds the entries of {@code closewatch.upstreams} against only the property sources
 * that hold them. Boot's map binding looks every parameter of every entry up in every
 * property source (ten or so), which took seconds at 10,000 upstreams. Here Boot's map
 * binding only finds the entry names; each entry is then bound by a {@link Binder} with
 * the same rules, names and errors over the sources that mention it, usually one file. An
 * entry that sets only a plain url in one source skips the binder
 * ({@link UrlOnlyUpstreams}).
 */
final class UpstreamsBindHandler extends AbstractBindHandler {

	static final ConfigurationPropertyName UPSTREAMS = ConfigurationPropertyName.of("closewatch.upstreams");

	private static final Bindable<Upstream> UPSTREAM = Bindable.of(Upstream.class);

	private final Function<List<ConfigurationPropertySource>, Binder> binders;

	private final BindHandler entryHandler;

	private final Map<String, ConfigurationPropertyName> entries = new LinkedHashMap<>();

	private @Nullable Iterable<ConfigurationPropertySource> sources;

	/**
	 * Creates a handler for one binding of {@code @ConfigurationProperties}.
	 * @param parent the handler Boot would use otherwise
	 * @param binders creates a binder, as Boot configures its own, over the given sources
	 */
	UpstreamsBindHandler(BindHandler parent, Function<List<ConfigurationPropertySource>, Binder> binders) {
		super(parent);
		this.binders = binders;
		this.entryHandler = new EntryBindHandler(parent);
	}

	@Override
	public <T> @Nullable Bindable<T> onStart(ConfigurationPropertyName name, Bindable<T> target, BindContext context) {
		if (context.getDepth() == 0 && target.getType().resolve() == UpstreamProperties.class) {
			this.sources = context.getSources();
		}
		else if (this.sources != null && UPSTREAMS.isParentOf(name) && target.getType().resolve() == Upstream.class) {
			// Boot's map binder converts the key from this form; a String key stays as is
			this.entries.putIfAbsent(name.getElement(2, ConfigurationPropertyName.Form.ORIGINAL), name);
			return null;
		}
		return super.onStart(name, target, context);
	}

	@Override
	public Object onSuccess(ConfigurationPropertyName name, Bindable<?> target, BindContext context, Object result) {
		return super.onSuccess(name, target, context, withEntries(result, context));
	}

	@Override
	public Object onCreate(ConfigurationPropertyName name, Bindable<?> target, BindContext context, Object result) {
		return super.onCreate(name, target, context, withEntries(result, context));
	}

	private Object withEntries(Object result, BindContext context) {
		if (context.getDepth() != 0 || !(result instanceof UpstreamProperties properties) || this.entries.isEmpty()) {
			return result;
		}
		return properties.withUpstreams(bindEntries());
	}

	private Map<String, Upstream> bindEntries() {
		Iterable<ConfigurationPropertySource> sources = this.sources;
		List<ConfigurationPropertySource> candidates = new ArrayList<>();
		if (sources != null) {
			sources.forEach((source) -> {
				if (source.containsDescendantOf(UPSTREAMS) != ConfigurationPropertyState.ABSENT) {
					candidates.add(source);
				}
			});
		}
		Map<List<ConfigurationPropertySource>, Binder> bindersBySources = new HashMap<>();
		Map<ConfigurationPropertySource, UrlOnlyUpstreams> urlOnly = new IdentityHashMap<>();
		Map<String, Upstream> upstreams = new LinkedHashMap<>();
		this.entries.forEach((key, name) -> {
			List<ConfigurationPropertySource> holding = holding(candidates, name);
			Upstream upstream = (holding.size() != 1) ? null
					: urlOnly.computeIfAbsent(holding.get(0), (source) -> UrlOnlyUpstreams.in(source, UPSTREAMS))
						.upstream(name);
			if (upstream != null) {
				upstreams.put(key, upstream);
				return;
			}
			Binder binder = bindersBySources.computeIfAbsent(holding, this.binders);
			binder.bind(name, UPSTREAM, this.entryHandler).ifBound((bound) -> upstreams.put(key, bound));
		});
		return upstreams;
	}

	private static List<ConfigurationPropertySource> holding(List<ConfigurationPropertySource> candidates,
			ConfigurationPropertyName name) {
		List<ConfigurationPropertySource> holding = new ArrayList<>(1);
		for (ConfigurationPropertySource source : candidates) {
			if (source.containsDescendantOf(name) != ConfigurationPropertyState.ABSENT
					|| source.getConfigurationProperty(name) != null) {
				holding.add(source);
			}
		}
		return holding;
	}

	/**
	 * Boot's handler for an entry bound on its own: an entry is the root of its binding
	 * here but a nested value in Boot's, so failures of the entry itself are errors, as
	 * they are there, rather than being ignored as those of a root can be.
	 */
	private static final class EntryBindHandler extends AbstractBindHandler {

		EntryBindHandler(BindHandler parent) {
			super(parent);
		}

		@Override
		public @Nullable Object onFailure(ConfigurationPropertyName name, Bindable<?> target, BindContext context,
				Exception error) throws Exception {
			if (context.getDepth() == 0) {
				throw error;
			}
			return super.onFailure(name, target, context, error);
		}

	}

}
