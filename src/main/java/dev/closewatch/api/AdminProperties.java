package dev.closewatch.api;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Write access to the API ({@code closewatch.api.*}). Write endpoints stay disabled until
 * an admin token is configured; then they require it as a bearer token.
 *
 * @param adminToken the token write requests must present as
 * {@code Authorization: Bearer <token>}; never shown anywhere
 */
@ConfigurationProperties("closewatch.api")
record AdminProperties(@Nullable String adminToken) {

	@Override
	public String toString() {
		return "AdminProperties[adminToken=" + ((this.adminToken != null) ? "******" : null) + "]";
	}

}
