package dev.closewatch.closeevent;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Any Close payload and any observation around it: the browser-view rules never throw and
 * keep their promises. The seed inputs and every crasher found are in
 * {@code src/test/resources/dev/closewatch/closeevent/CloseFrameFuzzTestsInputs}.
 */
class CloseFrameFuzzTests {

	@FuzzTest(maxDuration = "60s")
	void judgesEveryClosePayloadAsChromiumDoes(byte[] payload) {
		WireClose wire = WireClose.parse(payload);

		boolean chromiumAccepts = payload.length == 0
				|| (payload.length >= 2 && payload.length <= 125 && !isLocalOnly(code(payload)) && isUtf8(payload, 2));
		assertThat(wire.valid()).isEqualTo(chromiumAccepts);
		assertThat(BrowserCloseRules.acceptsClose(payload)).isEqualTo(chromiumAccepts);
		if (payload.length >= 2) {
			assertThat(wire.code()).isEqualTo(code(payload));
		}
		assertThat(wire.reason()).isNotNull();
	}

	@FuzzTest(maxDuration = "60s")
	void mapsEveryObservationToABrowserView(FuzzedDataProvider data) {
		boolean opened = data.consumeBoolean();
		byte[] serverClose = data.consumeBoolean() ? data.consumeBytes(130) : null;
		ClientClose clientClose = data.consumeBoolean()
				? new ClientClose(data.consumeInt(0, 65535), data.consumeString(130), data.consumeAsciiString(20))
				: null;
		Failure failure = data.consumeBoolean() ? new Failure(data.pickValue(FailureKind.values()),
				data.consumeAsciiString(20), data.consumeString(100)) : null;
		Integer status = data.consumeBoolean() ? data.consumeInt(100, 599) : null;

		CloseVerdict verdict = BrowserCloseRules
			.verdict(new CloseObservation(opened, serverClose, clientClose, failure, status));

		assertThat(verdict.code()).isBetween(0, 65535);
		assertThat(verdict.reason()).isNotNull();
		// 1005, 1006 and 1015 never reach a page with a reason, and 1006 is never clean
		if (verdict.code() == 1006) {
			assertThat(verdict.wasClean()).isFalse();
		}
		if (!opened) {
			assertThat(verdict).extracting(CloseVerdict::code, CloseVerdict::wasClean, CloseVerdict::errorEvent)
				.containsExactly(1006, false, true);
		}
		if (opened && serverClose != null && BrowserCloseRules.acceptsClose(serverClose)) {
			assertThat(verdict.code()).isEqualTo(WireClose.parse(serverClose).code());
			assertThat(verdict.wasClean()).isEqualTo(failure == null || failure.kind() != FailureKind.TRANSPORT);
		}
		if (verdict.errorEvent()) {
			assertThat(verdict.code()).isEqualTo(1006);
		}
	}

	private static int code(byte[] payload) {
		return ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF);
	}

	private static boolean isLocalOnly(int code) {
		return code == 1005 || code == 1006 || code == 1015;
	}

	private static boolean isUtf8(byte[] payload, int offset) {
		try {
			StandardCharsets.UTF_8.newDecoder()
				.onMalformedInput(CodingErrorAction.REPORT)
				.onUnmappableCharacter(CodingErrorAction.REPORT)
				.decode(ByteBuffer.wrap(payload, offset, payload.length - offset));
			return true;
		}
		catch (CharacterCodingException ex) {
			return false;
		}
	}

}
