package dev.closewatch.upstream;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.regex.Pattern;

import dev.closewatch.reconnect.ReconnectOverrides;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.ConstructorBinding;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * The monitored upstreams ({@code closewatch.upstreams.<name>.*}) and how to connect to
 * them. Invalid values fail startup with a message naming the property.
 *
 * @param connectTimeout the bound on TCP connect, TLS and the WebSocket upgrade together
 * @param closeTimeout how long to wait for the server's Close after closewatch sent one
 * before aborting the connection
 * @param tcpCloseTimeout how long to wait, once the closing handshake is complete, for
 * the server to close the TCP connection (RFC 6455 §7.1.1; Chromium waits 2 s); a reset
 * in that time makes the close not clean, and when it runs out closewatch closes the
 * connection itself; 0 closes it at once
 * @param upstreams the upstreams keyed by name; the name is the metric tag and URL
 * segment, so it must be lowercase kebab-case
 * @param maxConcurrentHandshakes the most opening handshakes under way at once, across
 * all upstreams; more wait their turn
 * @param startupSpread the period over which the first connects of all upstreams are
 * spread evenly
 * @param pingInterval how often to ping each open upstream, 0 for never; each upstream
 * may override it
 * @param pongTimeout how long to wait for the pong before the connection is aborted as
 * dead
 * @param staleAfter how long an upstream may send no message before closewatch closes it,
 * 0 for never
 * @param staleCode the close code sent to a stale upstream
 * @param maxMessageSize the largest message accepted; a larger one closes the connection
 * with 1009
 */
@ConfigurationProperties("closewatch")
public record UpstreamProperties(@DefaultValue("20s") Duration connectTimeout,
		@DefaultValue("5s") Duration closeTimeout, @DefaultValue("2s") Duration tcpCloseTimeout,
		@Nullable Map<String, Upstream> upstreams, @DefaultValue("64") int maxConcurrentHandshakes,
		@DefaultValue("5s") Duration startupSpread, @DefaultValue("30s") Duration pingInterval,
		@DefaultValue("10s") Duration pongTimeout, @DefaultValue("0s") Duration staleAfter,
		@DefaultValue("4000") int staleCode, @DefaultValue("1MB") DataSize maxMessageSize) {

	private static final Pattern NAME = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");

	// RFC 7230 token, the syntax of header names and subprotocols (RFC 6455 §4.1)
	private static final Pattern TOKEN = Pattern.compile("[!#$%&'*+\\-.^_`|~0-9A-Za-z]+");

	@ConstructorBinding
	public UpstreamProperties {
		require(!connectTimeout.isNegative() && !connectTimeout.isZero(),
				"closewatch.connect-timeout must be positive, was " + connectTimeout);
		require(!closeTimeout.isNegative() && !closeTimeout.isZero(),
				"closewatch.close-timeout must be positive, was " + closeTimeout);
		require(!tcpCloseTimeout.isNegative(),
				"closewatch.tcp-close-timeout must not be negative, was " + tcpCloseTimeout);
		require(maxConcurrentHandshakes >= 1,
				"closewatch.max-concurrent-handshakes must be at least 1, was " + maxConcurrentHandshakes);
		require(!startupSpread.isNegative(), "closewatch.startup-spread must not be negative, was " + startupSpread);
		require(!pingInterval.isNegative(), "closewatch.ping-interval must not be negative, was " + pingInterval);
		require(!pongTimeout.isNegative() && !pongTimeout.isZero(),
				"closewatch.pong-timeout must be positive, was " + pongTimeout);
		require(!staleAfter.isNegative(), "closewatch.stale-after must not be negative, was " + staleAfter);
		require(staleCode == 1000 || (staleCode >= 3000 && staleCode <= 4999),
				"closewatch.stale-code must be 1000 or within 3000-4999, was " + staleCode);
		require(maxMessageSize.toBytes() > 0, "closewatch.max-message-size must be positive, was " + maxMessageSize);
		upstreams = (upstreams != null) ? new LinkedHashMap<>(upstreams) : new LinkedHashMap<>();
		upstreams.forEach(UpstreamProperties::validate);
		upstreams = Map.copyOf(upstreams);
	}

	/**
	 * Connection settings with the defaults for the rest.
	 * @param connectTimeout the bound on one opening handshake
	 * @param closeTimeout the bound on waiting for the server's Close
	 * @param upstreams the upstreams
	 */
	public UpstreamProperties(Duration connectTimeout, Duration closeTimeout,
			@Nullable Map<String, Upstream> upstreams) {
		this(connectTimeout, closeTimeout, Duration.ofSeconds(2), upstreams, 64, Duration.ZERO, Duration.ZERO,
				Duration.ofSeconds(10), Duration.ZERO, 4000, DataSize.ofMegabytes(1));
	}

	/**
	 * A copy with other upstreams, validated as at binding.
	 * @param upstreams the upstreams keyed by name
	 * @return the copy
	 */
	UpstreamProperties withUpstreams(Map<String, Upstream> upstreams) {
		return new UpstreamProperties(this.connectTimeout, this.closeTimeout, this.tcpCloseTimeout, upstreams,
				this.maxConcurrentHandshakes, this.startupSpread, this.pingInterval, this.pongTimeout, this.staleAfter,
				this.staleCode, this.maxMessageSize);
	}

	/**
	 * The liveness settings of one upstream: its own values over the defaults.
	 * @param name the upstream's name
	 * @return the merged settings
	 */
	ConnectionSettings.Liveness liveness(String name) {
		return liveness(this, name, upstreams().get(name));
	}

	/**
	 * The liveness settings of an upstream: its own values over the defaults.
	 * @param defaults the defaults
	 * @param name the upstream's name
	 * @param upstream its definition
	 * @return the merged settings
	 */
	static ConnectionSettings.Liveness liveness(UpstreamProperties defaults, String name, Upstream upstream) {
		Duration ping = (upstream.pingInterval() != null) ? upstream.pingInterval() : defaults.pingInterval;
		Duration pong = (upstream.pongTimeout() != null) ? upstream.pongTimeout() : defaults.pongTimeout;
		Duration stale = (upstream.staleAfter() != null) ? upstream.staleAfter() : defaults.staleAfter;
		int code = (upstream.staleCode() != null) ? upstream.staleCode() : defaults.staleCode;
		DataSize size = (upstream.maxMessageSize() != null) ? upstream.maxMessageSize() : defaults.maxMessageSize;
		require(!ping.isNegative(), () -> prefix(name) + ".ping-interval must not be negative, was " + ping);
		require(!pong.isNegative() && !pong.isZero(),
				() -> prefix(name) + ".pong-timeout must be positive, was " + pong);
		require(!stale.isNegative(), () -> prefix(name) + ".stale-after must not be negative, was " + stale);
		// the codes a browser's close() may send (WHATWG close() step 1)
		require(code == 1000 || (code >= 3000 && code <= 4999),
				() -> prefix(name) + ".stale-code must be 1000 or within 3000-4999, was " + code);
		require(size.toBytes() > 0, () -> prefix(name) + ".max-message-size must be positive, was " + size);
		return new ConnectionSettings.Liveness(ping, pong, stale, code, size.toBytes());
	}

	// Prometheus label names; "upstream" is the series' own label, "__" is reserved
	private static final Pattern LABEL = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]{0,62}");

	/**
	 * Check one upstream as binding does.
	 * @param name its name
	 * @param upstream its settings
	 * @throws IllegalArgumentException naming the property that is wrong
	 */
	static void validate(String name, Upstream upstream) {
		// the messages are built only on failure: this runs for each of thousands of
		// upstreams
		require(NAME.matcher(name).matches(), () -> prefix(name)
				+ ": upstream names must be lowercase kebab-case (a-z, 0-9 and '-', at most 63 characters), was '"
				+ name + "'");
		// GET /api/v1/upstreams/summary answers the summary of all of them
		require(!"summary".equals(name), () -> prefix(name)
				+ ": 'summary' is reserved as an upstream name (/api/v1/upstreams/summary is the summary of all upstreams)");
		URI url = upstream.url();
		require(url != null, () -> prefix(name) + ".url is required");
		String scheme = url.getScheme();
		require(scheme != null && (scheme.equalsIgnoreCase("ws") || scheme.equalsIgnoreCase("wss")),
				() -> prefix(name) + ".url must use ws:// or wss://, was " + UrlMasking.mask(url));
		require(url.getHost() != null, () -> prefix(name) + ".url must name a host, was " + UrlMasking.mask(url));
		// WHATWG WebSocket constructor: a URL with a fragment is a SyntaxError
		require(url.getRawFragment() == null,
				() -> prefix(name) + ".url must not have a fragment, was " + UrlMasking.mask(url));
		upstream.headers()
			.keySet()
			.forEach((header) -> require(TOKEN.matcher(header).matches(),
					() -> prefix(name) + ".headers: '" + header + "' is not a valid HTTP header name"));
		List<String> subprotocols = upstream.subprotocols();
		for (String subprotocol : subprotocols) {
			require(TOKEN.matcher(subprotocol).matches(),
					() -> prefix(name) + ".subprotocols: '" + subprotocol + "' is not a valid subprotocol token");
		}
		require(subprotocols.stream().distinct().count() == subprotocols.size(),
				() -> prefix(name) + ".subprotocols must not repeat a value, was " + subprotocols);
		require(upstream.sslBundle() == null || scheme.equalsIgnoreCase("wss"),
				() -> prefix(name) + ".ssl-bundle needs a wss:// url");
		int credentials = ((upstream.bearerToken() != null) ? 1 : 0) + ((upstream.bearerTokenFile() != null) ? 1 : 0)
				+ ((upstream.basicAuth() != null) ? 1 : 0);
		require(credentials <= 1,
				() -> prefix(name) + ": set only one of bearer-token, bearer-token-file and basic-auth");
		BasicAuth basic = upstream.basicAuth();
		if (basic != null) {
			require(basic.username() != null && !basic.username().isEmpty() && basic.username().indexOf(':') < 0,
					() -> prefix(name) + ".basic-auth.username is required and must not contain ':'");
			require((basic.password() != null) != (basic.passwordFile() != null),
					() -> prefix(name) + ".basic-auth needs exactly one of password and password-file");
		}
		upstream.labels().forEach((label, value) -> {
			require(LABEL.matcher(label).matches() && !label.startsWith("__") && !label.equals("upstream"),
					() -> prefix(name) + ".labels: '" + label
							+ "' is not a usable label name (letters, digits and '_', not starting with a digit "
							+ "or '__', not 'upstream')");
			require(value != null && value.length() <= 256,
					() -> prefix(name) + ".labels." + label + " must be at most 256 characters");
		});
	}

	private static String prefix(String name) {
		return "closewatch.upstreams." + name;
	}

	private static void require(boolean condition, String message) {
		if (!condition) {
			throw new IllegalArgumentException(message);
		}
	}

	private static void require(boolean condition, Supplier<String> message) {
		if (!condition) {
			throw new IllegalArgumentException(message.get());
		}
	}

	/**
	 * One monitored upstream.
	 *
	 * @param url the {@code ws://} or {@code wss://} URL; user-info becomes HTTP Basic
	 * authentication and is masked wherever the URL is shown
	 * @param headers extra HTTP headers for the opening handshake; values never appear in
	 * logs, API answers or metrics
	 * @param subprotocols the subprotocols to offer, in order of preference
	 * @param onOpen a text frame to send once the connection is open, such as a
	 * subscription
	 * @param reconnect overrides of the default reconnect settings
	 * @param pingInterval overrides {@code closewatch.ping-interval}
	 * @param pongTimeout overrides {@code closewatch.pong-timeout}
	 * @param staleAfter overrides {@code closewatch.stale-after}
	 * @param staleCode overrides {@code closewatch.stale-code}
	 * @param maxMessageSize overrides {@code closewatch.max-message-size}
	 * @param sslBundle the Spring Boot SSL bundle ({@code spring.ssl.bundle.*}) with the
	 * trust material and client certificate for {@code wss://}; the JVM's trust store
	 * when absent
	 * @param bearerToken sent as {@code Authorization: Bearer}; use a placeholder such as
	 * {@code ${PRICES_TOKEN}}
	 * @param bearerTokenFile a file whose content is the bearer token, read at every
	 * attempt so that a rotated secret is picked up
	 * @param basicAuth HTTP Basic credentials
	 * @param labels labels such as {@code team: payments}, shown in the API and exported
	 * once per upstream in {@code closewatch_upstream_info}
	 */
	public record Upstream(@Nullable URI url, @Nullable Map<String, String> headers,
			@Nullable List<String> subprotocols, @Nullable String onOpen, @Nullable ReconnectOverrides reconnect,
			@Nullable Duration pingInterval, @Nullable Duration pongTimeout, @Nullable Duration staleAfter,
			@Nullable Integer staleCode, @Nullable DataSize maxMessageSize, @Nullable String sslBundle,
			@Nullable String bearerToken, @Nullable Path bearerTokenFile, @Nullable BasicAuth basicAuth,
			@Nullable Map<String, String> labels) {

		/**
		 * An upstream without labels.
		 * @param url the URL
		 * @param headers the handshake headers
		 * @param subprotocols the subprotocols to offer
		 * @param onOpen the frame to send after opening
		 * @param reconnect the reconnect overrides
		 * @param pingInterval overrides {@code closewatch.ping-interval}
		 * @param pongTimeout overrides {@code closewatch.pong-timeout}
		 * @param staleAfter overrides {@code closewatch.stale-after}
		 * @param staleCode overrides {@code closewatch.stale-code}
		 * @param maxMessageSize overrides {@code closewatch.max-message-size}
		 * @param sslBundle the SSL bundle
		 * @param bearerToken the bearer token
		 * @param bearerTokenFile the file holding the bearer token
		 * @param basicAuth the Basic credentials
		 */
		public Upstream(@Nullable URI url, @Nullable Map<String, String> headers, @Nullable List<String> subprotocols,
				@Nullable String onOpen, @Nullable ReconnectOverrides reconnect, @Nullable Duration pingInterval,
				@Nullable Duration pongTimeout, @Nullable Duration staleAfter, @Nullable Integer staleCode,
				@Nullable DataSize maxMessageSize, @Nullable String sslBundle, @Nullable String bearerToken,
				@Nullable Path bearerTokenFile, @Nullable BasicAuth basicAuth) {
			this(url, headers, subprotocols, onOpen, reconnect, pingInterval, pongTimeout, staleAfter, staleCode,
					maxMessageSize, sslBundle, bearerToken, bearerTokenFile, basicAuth, null);
		}

		/**
		 * An upstream with the default liveness settings.
		 * @param url the URL
		 * @param headers the handshake headers
		 * @param subprotocols the subprotocols to offer
		 * @param onOpen the frame to send after opening
		 * @param reconnect the reconnect overrides
		 */
		public Upstream(@Nullable URI url, @Nullable Map<String, String> headers, @Nullable List<String> subprotocols,
				@Nullable String onOpen, @Nullable ReconnectOverrides reconnect) {
			this(url, headers, subprotocols, onOpen, reconnect, null, null, null, null, null, null, null, null, null,
					null);
		}

		@ConstructorBinding
		public Upstream {
			headers = (headers != null) ? Map.copyOf(headers) : Map.of();
			subprotocols = (subprotocols != null) ? List.copyOf(subprotocols) : List.of();
			reconnect = (reconnect != null) ? reconnect : ReconnectOverrides.none();
			labels = (labels != null) ? Map.copyOf(labels) : Map.of();
		}

		@Override
		public Map<String, String> labels() {
			return (this.labels != null) ? this.labels : Map.of();
		}

		/**
		 * Return this upstream without its labels: two upstreams equal in this are
		 * connected the same way.
		 * @return the copy
		 */
		public Upstream withoutLabels() {
			return new Upstream(this.url, this.headers, this.subprotocols, this.onOpen, this.reconnect,
					this.pingInterval, this.pongTimeout, this.staleAfter, this.staleCode, this.maxMessageSize,
					this.sslBundle, this.bearerToken, this.bearerTokenFile, this.basicAuth, null);
		}

		@Override
		public Map<String, String> headers() {
			return (this.headers != null) ? this.headers : Map.of();
		}

		@Override
		public List<String> subprotocols() {
			return (this.subprotocols != null) ? this.subprotocols : List.of();
		}

		@Override
		public ReconnectOverrides reconnect() {
			return (this.reconnect != null) ? this.reconnect : ReconnectOverrides.none();
		}

		@Override
		public String toString() {
			return "Upstream[url=" + ((this.url != null) ? UrlMasking.mask(this.url) : null) + ", headers="
					+ headers().keySet() + " (values masked), subprotocols=" + subprotocols() + ", sslBundle="
					+ this.sslBundle + ", labels=" + labels() + "]";
		}

	}

	/**
	 * HTTP Basic credentials for the opening handshake.
	 *
	 * @param username the user name
	 * @param password the password; use a placeholder such as {@code ${CHAT_PASSWORD}}
	 * @param passwordFile a file whose content is the password, read at every attempt
	 */
	public record BasicAuth(@Nullable String username, @Nullable String password, @Nullable Path passwordFile) {

		@Override
		public String toString() {
			return "BasicAuth[username=" + this.username + ", password=******]";
		}

	}

}
