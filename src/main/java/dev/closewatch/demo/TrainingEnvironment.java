package dev.closewatch.demo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * The configuration of the {@code training} profile: closewatch serves the demo upstream
 * on a free loopback port and monitors it through {@code closewatch.training.upstreams}
 * upstreams (500 by default) that close and reconnect every few hundred milliseconds,
 * plus one whose port refuses and one whose handshake is answered 404.
 * {@link TrainingRun} then reads the REST API and the scrape and stops the process.
 * <p>
 * The image build runs it once with {@code -XX:AOTCacheOutput} (a CDS archive before Java
 * 25), so that the cache holds the classes and method profiles of what a large start and
 * a long run execute: binding thousands of upstreams, the opening handshake, the close
 * and reconnect path, the REST API and the scrape. Without the profile this does nothing.
 * <p>
 * Public, as {@code META-INF/spring.factories} requires.
 */
public final class TrainingEnvironment implements EnvironmentPostProcessor, Ordered {

	static final String PROFILE = "training";

	static final String SOURCE = "closewatchTraining";

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		if (!environment.matchesProfiles(PROFILE)) {
			return;
		}
		int upstreams = environment.getProperty("closewatch.training.upstreams", Integer.class,
				Integer.valueOf(TrainingProperties.DEFAULT_UPSTREAMS));
		if (upstreams < 1) {
			throw new IllegalArgumentException("closewatch.training.upstreams must be at least 1, was " + upstreams);
		}
		int port = environment.getProperty("server.port", Integer.class, 0);
		if (port == 0) {
			port = freeLoopbackPort();
		}
		Map<String, Object> properties = new LinkedHashMap<>();
		properties.put("server.address", "127.0.0.1");
		properties.put("server.port", port);
		properties.put("closewatch.startup-spread", "1s");
		properties.put("closewatch.reconnect.delay", "100ms");
		properties.put("closewatch.reconnect.max-delay", "500ms");
		properties.put("closewatch.reconnect.reset-after", "100ms");
		properties.put("closewatch.demo.session-length",
				environment.getProperty("closewatch.demo.session-length", "300ms"));
		String url = "ws://127.0.0.1:" + port + "/demo/upstream";
		for (int i = 1; i <= upstreams; i++) {
			properties.put("closewatch.upstreams." + name(i) + ".url", url);
		}
		// the failure paths: connect refused, and a handshake answered with an HTTP error
		properties.put("closewatch.upstreams.training-refused.url", "ws://127.0.0.1:9/nothing-listens-here");
		properties.put("closewatch.upstreams.training-rejected.url", "ws://127.0.0.1:" + port + "/no-upstream-here");
		environment.getPropertySources().addFirst(new MapPropertySource(SOURCE, properties));
	}

	static String name(int index) {
		return "training-%04d".formatted(index);
	}

	// the training upstreams name the server's port, so it is chosen before the server
	// starts; nothing else binds loopback ports during an image build
	private static int freeLoopbackPort() {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new UncheckedIOException("No free loopback port for the training run", ex);
		}
	}

	@Override
	public int getOrder() {
		// after the configuration files are loaded, so that the active profiles are known
		return Ordered.LOWEST_PRECEDENCE;
	}

}
