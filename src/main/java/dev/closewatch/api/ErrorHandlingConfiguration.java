package dev.closewatch.api;

import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.handler.SizeLimitHandler;

import org.springframework.boot.jetty.ConfigurableJettyWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.util.unit.DataSize;

/**
 * Every error answer is an RFC 9457 problem, whichever layer gives it: Spring MVC
 * ({@link ApiExceptionHandler}), the servlet container's error page
 * ({@link ProblemErrorController}), and Jetty before either
 * ({@link ProblemJsonErrorHandler}, the server's error handler). Request bodies are
 * capped, as no endpoint reads more than a few KiB.
 */
@Configuration(proxyBeanMethods = false)
class ErrorHandlingConfiguration {

	/**
	 * The largest request body accepted; a larger {@code Content-Length} is a 413.
	 */
	static final DataSize MAX_REQUEST_BODY = DataSize.ofMegabytes(1);

	@Bean
	WebServerFactoryCustomizer<ConfigurableJettyWebServerFactory> problemJsonErrors() {
		return (factory) -> factory.addServerCustomizers((server) -> {
			server.setErrorHandler(new ProblemJsonErrorHandler());
			Handler handler = server.getHandler();
			SizeLimitHandler limit = new SizeLimitHandler(MAX_REQUEST_BODY.toBytes(), -1);
			limit.setHandler(handler);
			server.setHandler(limit);
		});
	}

}
