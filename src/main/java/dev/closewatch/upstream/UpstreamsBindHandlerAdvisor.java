package dev.closewatch.upstream;

import java.net.URI;
import java.util.List;

import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.propertyeditors.URIEditor;
import org.springframework.boot.context.properties.ConfigurationPropertiesBindHandlerAdvisor;
import org.springframework.boot.context.properties.bind.BindHandler;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.PropertySourcesPlaceholdersResolver;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.context.ApplicationContext;

/**
 * Adds {@link UpstreamsBindHandler} to the binding of {@code @ConfigurationProperties};
 * it acts on {@link UpstreamProperties} only. Its binders are configured as Boot
 * configures the one for {@code @ConfigurationProperties}: placeholders from the
 * environment, the bean factory's conversion service and property editors (closewatch has
 * no {@code @ConfigurationPropertiesBinding} converters).
 */
final class UpstreamsBindHandlerAdvisor implements ConfigurationPropertiesBindHandlerAdvisor {

	private final ApplicationContext context;

	private final ConfigurableListableBeanFactory beanFactory;

	UpstreamsBindHandlerAdvisor(ApplicationContext context, ConfigurableListableBeanFactory beanFactory) {
		this.context = context;
		this.beanFactory = beanFactory;
	}

	@Override
	public BindHandler apply(BindHandler bindHandler) {
		return new UpstreamsBindHandler(bindHandler, this::binder);
	}

	private Binder binder(List<ConfigurationPropertySource> sources) {
		return new Binder(sources, new PropertySourcesPlaceholdersResolver(this.context.getEnvironment()),
				this.beanFactory.getConversionService(), (registry) -> {
					// Spring's default editor for URI, registered alone: converting a url
					// then does not create all ~50 default editors first.
					// UrlOnlyUpstreams converts its urls with the same editor.
					registry.registerCustomEditor(URI.class, new URIEditor());
					this.beanFactory.copyRegisteredEditorsTo(registry);
				});
	}

}
