package dev.closewatch.upstream;

import java.net.URI;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Masks the secrets a URL can carry before it is shown anywhere: the user-info, and the
 * values of query parameters whose names suggest a credential ({@code token},
 * {@code api_key}, {@code password}, {@code signature}, ...).
 */
final class UrlMasking {

	static final String MASK = "******";

	private static final Pattern QUERY_PARAMETER = Pattern.compile("([^&=]+)=([^&]*)");

	private static final String[] SECRET_HINTS = { "token", "key", "secret", "pass", "auth", "sig", "credential",
			"session" };

	private UrlMasking() {
	}

	static String mask(URI url) {
		StringBuilder masked = new StringBuilder();
		if (url.getScheme() != null) {
			masked.append(url.getScheme()).append(':');
		}
		if (url.getRawAuthority() != null) {
			masked.append("//");
			if (url.getRawUserInfo() != null) {
				masked.append(MASK).append('@');
			}
			if (url.getHost() != null) {
				masked.append(url.getHost());
				if (url.getPort() != -1) {
					masked.append(':').append(url.getPort());
				}
			}
			else {
				String authority = url.getRawAuthority();
				masked.append(authority.substring(authority.lastIndexOf('@') + 1));
			}
		}
		if (url.getRawPath() != null) {
			masked.append(url.getRawPath());
		}
		if (url.getRawQuery() != null) {
			masked.append('?').append(maskQuery(url.getRawQuery()));
		}
		return masked.toString();
	}

	private static String maskQuery(String query) {
		Matcher matcher = QUERY_PARAMETER.matcher(query);
		StringBuilder masked = new StringBuilder();
		while (matcher.find()) {
			String replacement = isSecret(matcher.group(1)) ? matcher.group(1) + "=" + MASK : matcher.group();
			matcher.appendReplacement(masked, Matcher.quoteReplacement(replacement));
		}
		matcher.appendTail(masked);
		return masked.toString();
	}

	private static boolean isSecret(String name) {
		String lower = name.toLowerCase(Locale.ROOT);
		for (String hint : SECRET_HINTS) {
			if (lower.contains(hint)) {
				return true;
			}
		}
		return false;
	}

}
