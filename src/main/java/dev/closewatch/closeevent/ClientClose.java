package dev.closewatch.closeevent;

/**
 * A Close frame closewatch sent before it received one from the server.
 *
 * @param code the code sent
 * @param reason the reason sent
 * @param cause why closewatch closed, such as {@code shutdown} or {@code stale}
 */
public record ClientClose(int code, String reason, String cause) {

}
