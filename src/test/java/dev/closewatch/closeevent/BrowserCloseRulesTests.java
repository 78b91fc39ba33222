package dev.closewatch.closeevent;

import java.nio.charset.StandardCharsets;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The browser-view rules of {@code close-semantics.md} §3, one row per case.
 */
class BrowserCloseRulesTests {

	private static final Failure RESET = new Failure(FailureKind.TRANSPORT, "connection-reset", "Connection reset");

	private static final Failure PROTOCOL = new Failure(FailureKind.PROTOCOL, "protocol-error", "Invalid CLOSE Code");

	private static final Failure REFUSED = new Failure(FailureKind.HANDSHAKE, "connect-refused", "refused");

	@ParameterizedTest
	@CsvSource({ "1000, bye", "1001, going", "999, below range", "1004, reserved", "2999, unassigned",
			"5000, above range", "65535, maximum", "0, zero" })
	void reportsAnyCodeOfAValidCloseFrameVerbatimAndClean(int code, String reason) {
		CloseVerdict verdict = verdict(true, close(code, reason), null, null);

		assertThat(verdict.code()).isEqualTo(code);
		assertThat(verdict.reason()).isEqualTo(reason);
		assertThat(verdict.wasClean()).isTrue();
		assertThat(verdict.errorEvent()).isFalse();
		assertThat(verdict.initiator()).isEqualTo(Initiator.SERVER);
		assertThat(verdict.phase()).isEqualTo(Phase.CLOSING);
		assertThat(verdict.wireCode()).isNull();
	}

	@Test
	void keepsTheBrowserViewWhenJettyRejectedTheCodeItself() {
		CloseVerdict verdict = verdict(true, close(2999, "x"), null, PROTOCOL);

		assertThat(verdict.code()).isEqualTo(2999);
		assertThat(verdict.wasClean()).isTrue();
		assertThat(verdict.error()).isNull();
	}

	@Test
	void reportsEmptyCloseBodyAsNoStatusReceived() {
		CloseVerdict verdict = verdict(true, new byte[0], null, null);

		assertThat(verdict.code()).isEqualTo(1005);
		assertThat(verdict.reason()).isEmpty();
		assertThat(verdict.wasClean()).isTrue();
	}

	@Test
	void reportsValidCloseFollowedByResetAsNotClean() {
		CloseVerdict verdict = verdict(true, close(1001, "reset"), null, RESET);

		assertThat(verdict.code()).isEqualTo(1001);
		assertThat(verdict.reason()).isEqualTo("reset");
		assertThat(verdict.wasClean()).isFalse();
		assertThat(verdict.errorEvent()).isFalse();
		assertThat(verdict.error()).isEqualTo("connection-reset");
	}

	@ParameterizedTest
	@CsvSource({ "1005", "1006", "1015" })
	void failsOnLocalOnlyCodesAndKeepsThemAsWireCode(int code) {
		CloseVerdict verdict = verdict(true, close(code, "why"), null, PROTOCOL);

		assertThatFailed(verdict);
		assertThat(verdict.wireCode()).isEqualTo(code);
		assertThat(verdict.wireReason()).isEqualTo("why");
		assertThat(verdict.error()).isEqualTo("protocol-error");
	}

	@Test
	void failsOnOneByteBody() {
		CloseVerdict verdict = verdict(true, new byte[] { 3 }, null, PROTOCOL);

		assertThatFailed(verdict);
		assertThat(verdict.wireCode()).isNull();
		assertThat(verdict.errorMessage()).contains("1-byte");
	}

	@Test
	void failsOnBodyLongerThan125Bytes() {
		CloseVerdict verdict = verdict(true, close(1000, "x".repeat(124)), null, PROTOCOL);

		assertThatFailed(verdict);
		assertThat(verdict.wireCode()).isEqualTo(1000);
	}

	@Test
	void failsOnReasonThatIsNotUtf8() {
		byte[] payload = { 0x03, (byte) 0xE8, (byte) 0xC3, 0x28 };

		CloseVerdict verdict = verdict(true, payload, null, PROTOCOL);

		assertThatFailed(verdict);
		assertThat(verdict.wireCode()).isEqualTo(1000);
		assertThat(verdict.errorMessage()).contains("UTF-8");
	}

	@Test
	void keepsAByteOrderMarkInTheReason() {
		CloseVerdict verdict = verdict(true, close(1000, "\uFEFFbom"), null, null);

		assertThat(verdict.reason()).isEqualTo("\uFEFFbom");
	}

	@Test
	void reportsLostConnectionWithoutErrorEvent() {
		CloseVerdict verdict = verdict(true, null, null, RESET);

		assertThat(verdict.code()).isEqualTo(1006);
		assertThat(verdict.wasClean()).isFalse();
		assertThat(verdict.errorEvent()).isFalse();
		assertThat(verdict.initiator()).isEqualTo(Initiator.TRANSPORT);
		assertThat(verdict.phase()).isEqualTo(Phase.OPEN);
	}

	@Test
	void reportsEofWithoutFailureAsLostConnection() {
		CloseVerdict verdict = verdict(true, null, null, null);

		assertThat(verdict.code()).isEqualTo(1006);
		assertThat(verdict.errorEvent()).isFalse();
		assertThat(verdict.error()).isEqualTo("connection-lost");
	}

	@Test
	void failsWithErrorEventOnProtocolViolation() {
		CloseVerdict verdict = verdict(true, null, null, PROTOCOL);

		assertThatFailed(verdict);
		assertThat(verdict.initiator()).isEqualTo(Initiator.CLIENT);
		assertThat(verdict.phase()).isEqualTo(Phase.OPEN);
	}

	@Test
	void reportsFailedHandshakeWithErrorEvent() {
		CloseVerdict verdict = verdict(false, null, null, REFUSED);

		assertThatFailed(verdict);
		assertThat(verdict.phase()).isEqualTo(Phase.HANDSHAKE);
		assertThat(verdict.initiator()).isEqualTo(Initiator.TRANSPORT);
		assertThat(verdict.error()).isEqualTo("connect-refused");
	}

	@Test
	void attributesRejectedUpgradeToTheServer() {
		CloseObservation observation = new CloseObservation(false, null, null,
				new Failure(FailureKind.HANDSHAKE, "handshake-rejected", "HTTP 503"), 503);

		CloseVerdict verdict = BrowserCloseRules.verdict(observation);

		assertThatFailed(verdict);
		assertThat(verdict.initiator()).isEqualTo(Initiator.SERVER);
	}

	@Test
	void reportsTheServersAnswerToAClientClose() {
		ClientClose sent = new ClientClose(4000, "stale", "stale");

		CloseVerdict verdict = verdict(true, close(4000, "ok"), sent, null);

		assertThat(verdict.code()).isEqualTo(4000);
		assertThat(verdict.reason()).isEqualTo("ok");
		assertThat(verdict.wasClean()).isTrue();
		assertThat(verdict.initiator()).isEqualTo(Initiator.CLIENT);
		assertThat(verdict.error()).isEqualTo("stale");
	}

	@Test
	void reportsAbnormalClosureWhenServerNeverAnsweredAClientClose() {
		ClientClose sent = new ClientClose(4000, "stale", "stale");
		Failure timeout = new Failure(FailureKind.ABORTED, "close-timeout", "no answer");

		CloseVerdict verdict = verdict(true, null, sent, timeout);

		assertThat(verdict.code()).isEqualTo(1006);
		assertThat(verdict.wasClean()).isFalse();
		assertThat(verdict.errorEvent()).isFalse();
		assertThat(verdict.initiator()).isEqualTo(Initiator.CLIENT);
		assertThat(verdict.error()).isEqualTo("close-timeout");
	}

	@Test
	void reportsTheCodeSentWhenClosewatchClosedWithoutWaiting() {
		ClientClose sent = new ClientClose(1001, "closewatch shutting down", "shutdown");

		CloseVerdict verdict = verdict(true, null, sent, null);

		assertThat(verdict.code()).isEqualTo(1001);
		assertThat(verdict.reason()).isEqualTo("closewatch shutting down");
		assertThat(verdict.wasClean()).isFalse();
		assertThat(verdict.error()).isEqualTo("shutdown");
	}

	private static CloseVerdict verdict(boolean opened, byte @Nullable [] serverClose, @Nullable ClientClose sent,
			@Nullable Failure failure) {
		return BrowserCloseRules.verdict(new CloseObservation(opened, serverClose, sent, failure, null));
	}

	private static byte[] close(int code, String reason) {
		byte[] text = reason.getBytes(StandardCharsets.UTF_8);
		byte[] payload = new byte[text.length + 2];
		payload[0] = (byte) (code >> 8);
		payload[1] = (byte) code;
		System.arraycopy(text, 0, payload, 2, text.length);
		return payload;
	}

	private static void assertThatFailed(CloseVerdict verdict) {
		assertThat(verdict.code()).isEqualTo(1006);
		assertThat(verdict.reason()).isEmpty();
		assertThat(verdict.wasClean()).isFalse();
		assertThat(verdict.errorEvent()).isTrue();
	}

}
