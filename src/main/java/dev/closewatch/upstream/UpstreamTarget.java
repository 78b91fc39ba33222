package dev.closewatch.upstream;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import dev.closewatch.upstream.UpstreamProperties.Upstream;
import org.jspecify.annotations.Nullable;

/**
 * Where and how to open one upstream: the URL without user-info, the handshake headers
 * (user-info turned into HTTP Basic authentication) and the masked URL for display.
 *
 * @param name the upstream's name
 * @param uri the URL to connect to, without user-info
 * @param maskedUrl the configured URL with its secrets masked
 * @param headers the handshake headers; values are secrets
 * @param subprotocols the subprotocols to offer
 * @param onOpen a text frame to send after the upgrade
 */
record UpstreamTarget(String name, URI uri, String maskedUrl, Map<String, String> staticHeaders,
		List<String> subprotocols, @Nullable String onOpen, @Nullable Credentials credentials) {

	static UpstreamTarget of(String name, Upstream upstream) {
		URI url = upstream.url();
		if (url == null) {
			throw new IllegalArgumentException("closewatch.upstreams." + name + ".url is required");
		}
		Map<String, String> headers = new LinkedHashMap<>(upstream.headers());
		boolean explicit = headers.keySet().stream().anyMatch("Authorization"::equalsIgnoreCase);
		Credentials credentials = explicit ? null : Credentials.of(upstream);
		String userInfo = url.getRawUserInfo();
		if (userInfo != null && !explicit && credentials == null) {
			String decoded = URLDecoder.decode(userInfo, StandardCharsets.UTF_8);
			headers.put("Authorization", basic(decoded));
		}
		return new UpstreamTarget(name, withoutUserInfo(url), UrlMasking.mask(url), Map.copyOf(headers),
				upstream.subprotocols(), upstream.onOpen(), credentials);
	}

	/**
	 * The headers of the next opening handshake; credentials kept in files are read now,
	 * so that a rotated secret is used from the next attempt on.
	 * @return the headers
	 */
	Map<String, String> headers() {
		if (this.credentials == null) {
			return this.staticHeaders;
		}
		Map<String, String> headers = new LinkedHashMap<>(this.staticHeaders);
		headers.put("Authorization", this.credentials.authorization(this.name));
		return headers;
	}

	static String basic(String userAndPassword) {
		return "Basic " + Base64.getEncoder().encodeToString(userAndPassword.getBytes(StandardCharsets.UTF_8));
	}

	/**
	 * Bearer or Basic credentials, possibly kept in a file.
	 *
	 * @param username the Basic user name, {@code null} for a bearer token
	 * @param secret the token or password, {@code null} when kept in a file
	 * @param file the file holding the token or password
	 */
	record Credentials(@Nullable String username, @Nullable String secret, @Nullable Path file) {

		static @Nullable Credentials of(Upstream upstream) {
			if (upstream.bearerToken() != null || upstream.bearerTokenFile() != null) {
				return new Credentials(null, upstream.bearerToken(), upstream.bearerTokenFile());
			}
			UpstreamProperties.BasicAuth basic = upstream.basicAuth();
			if (basic != null) {
				return new Credentials(basic.username(), basic.password(), basic.passwordFile());
			}
			return null;
		}

		String authorization(String upstream) {
			String value = this.secret;
			if (value == null && this.file != null) {
				try {
					value = Files.readString(this.file).strip();
				}
				catch (IOException ex) {
					throw new CredentialsUnavailableException("Cannot read the credentials file of upstream '"
							+ upstream + "': " + ex.getClass().getSimpleName());
				}
			}
			if (value == null || value.isEmpty()) {
				throw new CredentialsUnavailableException("The credentials of upstream '" + upstream + "' are empty");
			}
			return (this.username != null) ? basic(this.username + ":" + value) : "Bearer " + value;
		}

		@Override
		public String toString() {
			return "Credentials[username=" + this.username + ", secret=******, file=" + this.file + "]";
		}

	}

	private static URI withoutUserInfo(URI url) {
		if (url.getRawUserInfo() == null) {
			return url;
		}
		try {
			return new URI(url.getScheme().toLowerCase(Locale.ROOT), null, url.getHost(), url.getPort(), url.getPath(),
					url.getQuery(), null);
		}
		catch (URISyntaxException ex) {
			throw new IllegalArgumentException("closewatch.upstreams: invalid URL " + UrlMasking.mask(url), ex);
		}
	}

	@Override
	public String toString() {
		return "UpstreamTarget[name=" + this.name + ", url=" + this.maskedUrl + "]";
	}

}
