package dev.closewatch.upstream;

import java.io.EOFException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.UnresolvedAddressException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.util.Locale;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeoutException;

import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;

import dev.closewatch.closeevent.Failure;
import dev.closewatch.closeevent.FailureKind;
import org.eclipse.jetty.client.HttpResponseException;
import org.eclipse.jetty.websocket.core.exception.BadPayloadException;
import org.eclipse.jetty.websocket.core.exception.MessageTooLargeException;
import org.eclipse.jetty.websocket.core.exception.ProtocolException;
import org.eclipse.jetty.websocket.core.exception.UpgradeException;
import org.eclipse.jetty.websocket.core.exception.WebSocketTimeoutException;
import org.jspecify.annotations.Nullable;

/**
 * Classifies the exceptions Jetty reports into the short, stable {@code error} values of
 * a close event and the {@link FailureKind} the browser-view rules need.
 */
final class FailureClassifier {

	private FailureClassifier() {
	}

	static Failure classify(Throwable failure, boolean opened) {
		return opened ? classifyOpen(failure) : classifyHandshake(failure);
	}

	static @Nullable Integer handshakeStatus(Throwable failure) {
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			if (cause instanceof UpgradeException upgrade && upgrade.getResponseStatusCode() > 0) {
				return upgrade.getResponseStatusCode();
			}
			if (cause instanceof HttpResponseException response && response.getResponse() != null
					&& response.getResponse().getStatus() > 0) {
				return response.getResponse().getStatus();
			}
		}
		return null;
	}

	private static Failure classifyHandshake(Throwable failure) {
		CredentialsUnavailableException credentials = find(failure, CredentialsUnavailableException.class);
		if (credentials != null) {
			return new Failure(FailureKind.ABORTED, "credentials-unavailable", credentials.getMessage());
		}
		HandshakeRejectedException rejected = find(failure, HandshakeRejectedException.class);
		if (rejected != null) {
			return handshake(rejected.error(), rejected.getMessage());
		}
		if (find(failure, CancellationException.class) != null) {
			return new Failure(FailureKind.ABORTED, "aborted", messageOf(failure));
		}
		Failure tls = classifyTls(failure);
		if (tls != null) {
			return tls;
		}
		if (find(failure, ConnectException.class) != null) {
			return handshake("connect-refused", "Connection refused");
		}
		if (find(failure, UnknownHostException.class) != null
				|| find(failure, UnresolvedAddressException.class) != null) {
			return handshake("dns-unresolved", "The host name could not be resolved");
		}
		if (find(failure, NoRouteToHostException.class) != null) {
			return handshake("connect-unreachable", messageOf(failure));
		}
		if (find(failure, TimeoutException.class) != null || find(failure, SocketTimeoutException.class) != null) {
			return handshake("connect-timeout", "The opening handshake did not complete in time");
		}
		String message = deepestMessage(failure);
		if (message.contains("Sec-WebSocket-Accept") || message.toLowerCase(Locale.ROOT).contains("accept")) {
			return handshake("handshake-bad-accept", message);
		}
		if (message.contains("Connection: Upgrade")) {
			return handshake("handshake-no-connection-upgrade", message);
		}
		Integer status = handshakeStatus(failure);
		if (status != null && status != 101) {
			return handshake("handshake-rejected", "The server answered the upgrade with HTTP " + status);
		}
		if (find(failure, EOFException.class) != null || find(failure, ClosedChannelException.class) != null) {
			return handshake("handshake-connection-closed", "The connection closed before the upgrade completed");
		}
		if (find(failure, IOException.class) != null && status == null) {
			return handshake("connect-failed", message);
		}
		return handshake("handshake-invalid-response", message);
	}

	private static @Nullable Failure classifyTls(Throwable failure) {
		SSLException ssl = find(failure, SSLException.class);
		if (ssl == null) {
			return null;
		}
		String message = deepestMessage(failure);
		String lower = message.toLowerCase(Locale.ROOT);
		if (find(failure, CertificateExpiredException.class) != null
				|| find(failure, CertificateNotYetValidException.class) != null || lower.contains("validity")) {
			return handshake("tls-expired", message);
		}
		if (lower.contains("subject alternative") || lower.contains("no name matching") || lower.contains("hostname")) {
			return handshake("tls-hostname-mismatch", message);
		}
		if (find(failure, CertPathValidatorException.class) != null || lower.contains("pkix")
				|| lower.contains("certification path")) {
			return handshake("tls-untrusted-certificate", message);
		}
		if (lower.contains("unrecognized ssl message") || lower.contains("plaintext")) {
			return handshake("tls-not-tls", message);
		}
		if (ssl instanceof SSLHandshakeException) {
			return handshake("tls-handshake-failed", message);
		}
		return handshake("tls-failed", message);
	}

	private static Failure classifyOpen(Throwable failure) {
		if (find(failure, MessageTooLargeException.class) != null) {
			return new Failure(FailureKind.ABORTED, "message-too-big", messageOf(failure));
		}
		if (find(failure, BadPayloadException.class) != null) {
			return new Failure(FailureKind.PROTOCOL, "invalid-payload", messageOf(failure));
		}
		if (find(failure, ProtocolException.class) != null) {
			return new Failure(FailureKind.PROTOCOL, "protocol-error", messageOf(failure));
		}
		if (find(failure, WebSocketTimeoutException.class) != null) {
			return new Failure(FailureKind.ABORTED, "idle-timeout", messageOf(failure));
		}
		String message = deepestMessage(failure);
		if (message.toLowerCase(Locale.ROOT).contains("reset")) {
			return new Failure(FailureKind.TRANSPORT, "connection-reset", message);
		}
		if (find(failure, IOException.class) != null) {
			return new Failure(FailureKind.TRANSPORT, "connection-lost", message);
		}
		return new Failure(FailureKind.PROTOCOL, "protocol-error", messageOf(failure));
	}

	private static Failure handshake(String error, String message) {
		return new Failure(FailureKind.HANDSHAKE, error, message);
	}

	private static <T extends Throwable> @Nullable T find(Throwable failure, Class<T> type) {
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			if (type.isInstance(cause)) {
				return type.cast(cause);
			}
			if (cause.getCause() == cause) {
				break;
			}
		}
		return null;
	}

	private static String messageOf(Throwable failure) {
		String message = failure.getMessage();
		return (message != null) ? message : failure.getClass().getSimpleName();
	}

	private static String deepestMessage(Throwable failure) {
		String message = messageOf(failure);
		for (Throwable cause = failure.getCause(); cause != null
				&& cause != cause.getCause(); cause = cause.getCause()) {
			if (cause.getMessage() != null) {
				message = cause.getMessage();
			}
		}
		return message;
	}

}
