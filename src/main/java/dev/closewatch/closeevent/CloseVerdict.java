package dev.closewatch.closeevent;

import org.jspecify.annotations.Nullable;

/**
 * The browser view of an ended connection attempt and the detail derived with it.
 *
 * @param code browser-view close code
 * @param reason browser-view close reason
 * @param wasClean browser-view {@code wasClean}
 * @param errorEvent whether a browser fires {@code error} before {@code close}
 * @param initiator who ended the attempt
 * @param phase the phase the attempt was in when it ended
 * @param error short classification, if the attempt failed
 * @param errorMessage detail of the failure
 * @param wireCode the code the server sent, when the browser view hides it
 * @param wireReason the reason the server sent, when the browser view hides it
 */
public record CloseVerdict(int code, String reason, boolean wasClean, boolean errorEvent, Initiator initiator,
		Phase phase, @Nullable String error, @Nullable String errorMessage, @Nullable Integer wireCode,
		@Nullable String wireReason) {

}
