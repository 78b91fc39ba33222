package dev.closewatch.upstream;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
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
record UpstreamTarget(String name, URI uri, String maskedUrl, Map<String, String> headers, List<String> subprotocols,
		@Nullable String onOpen) {

	static UpstreamTarget of(String name, Upstream upstream) {
		URI url = upstream.url();
		if (url == null) {
			throw new IllegalArgumentException("closewatch.upstreams." + name + ".url is required");
		}
		Map<String, String> headers = new LinkedHashMap<>(upstream.headers());
		String userInfo = url.getRawUserInfo();
		if (userInfo != null && headers.keySet().stream().noneMatch("Authorization"::equalsIgnoreCase)) {
			String decoded = URLDecoder.decode(userInfo, StandardCharsets.UTF_8);
			headers.put("Authorization",
					"Basic " + Base64.getEncoder().encodeToString(decoded.getBytes(StandardCharsets.UTF_8)));
		}
		return new UpstreamTarget(name, withoutUserInfo(url), UrlMasking.mask(url), Map.copyOf(headers),
				upstream.subprotocols(), upstream.onOpen());
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
