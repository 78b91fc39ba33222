package dev.closewatch.upstream;

/**
 * The credentials of an upstream could not be read for a handshake; the message never
 * contains the secret.
 */
class CredentialsUnavailableException extends IllegalStateException {

	CredentialsUnavailableException(String message) {
		super(message);
	}

}
