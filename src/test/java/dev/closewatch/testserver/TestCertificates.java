package dev.closewatch.testserver;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A throw-away PKI for TLS tests, made with the JDK's {@code keytool}: a CA, server
 * certificates for 127.0.0.1 (valid, expired, for another host, self-signed) and a client
 * certificate, all in PKCS#12 stores with the password {@value #PASSWORD}.
 */
public final class TestCertificates {

	public static final String PASSWORD = "changeit";

	private final Path directory;

	private TestCertificates(Path directory) {
		this.directory = directory;
	}

	public static TestCertificates create() throws IOException {
		TestCertificates certificates = new TestCertificates(Files.createTempDirectory("closewatch-pki"));
		certificates.keytool("-genkeypair", "-alias", "ca", "-keyalg", "EC", "-groupname", "secp256r1", "-dname",
				"CN=closewatch test CA", "-ext", "bc:c", "-validity", "3", "-keystore", "ca.p12");
		certificates.keytool("-exportcert", "-alias", "ca", "-keystore", "ca.p12", "-rfc", "-file", "ca.crt");
		certificates.keytool("-importcert", "-alias", "ca", "-file", "ca.crt", "-keystore", "trust.p12", "-noprompt");
		certificates.signed("server", "CN=localhost", "san=ip:127.0.0.1,dns:localhost", null);
		certificates.signed("expired", "CN=localhost", "san=ip:127.0.0.1,dns:localhost", "-3d");
		certificates.signed("wrong-host", "CN=example.invalid", "san=dns:example.invalid", null);
		certificates.signed("client", "CN=closewatch client", "eku=clientAuth", null);
		certificates.keytool("-genkeypair", "-alias", "self-signed", "-keyalg", "EC", "-groupname", "secp256r1",
				"-dname", "CN=localhost", "-ext", "san=ip:127.0.0.1", "-validity", "3", "-keystore", "self-signed.p12");
		return certificates;
	}

	private void signed(String name, String dname, String extension, String startDate) throws IOException {
		String store = name + ".p12";
		keytool("-genkeypair", "-alias", name, "-keyalg", "EC", "-groupname", "secp256r1", "-dname", dname, "-keystore",
				store);
		keytool("-certreq", "-alias", name, "-keystore", store, "-file", name + ".csr");
		List<String> sign = new ArrayList<>(List.of("-gencert", "-alias", "ca", "-keystore", "ca.p12", "-infile",
				name + ".csr", "-outfile", name + ".crt", "-rfc", "-ext", extension));
		if (startDate != null) {
			sign.addAll(List.of("-startdate", startDate, "-validity", "1"));
		}
		else {
			sign.addAll(List.of("-validity", "3"));
		}
		keytool(sign.toArray(String[]::new));
		keytool("-importcert", "-alias", "ca", "-file", "ca.crt", "-keystore", store, "-noprompt");
		keytool("-importcert", "-alias", name, "-file", name + ".crt", "-keystore", store, "-noprompt");
	}

	private void keytool(String... arguments) throws IOException {
		List<String> command = new ArrayList<>();
		command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
		command.addAll(List.of(arguments));
		command.addAll(List.of("-storepass", PASSWORD, "-storetype", "PKCS12"));
		if (List.of(arguments).contains("-genkeypair")) {
			command.addAll(List.of("-keypass", PASSWORD));
		}
		Process process = new ProcessBuilder(command).directory(this.directory.toFile())
			.redirectErrorStream(true)
			.start();
		try {
			String output = new String(process.getInputStream().readAllBytes());
			if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
				throw new IOException("keytool " + String.join(" ", arguments) + " failed: " + output);
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IOException(ex);
		}
	}

	/** The store with the named key and its chain, or the trust store for "trust". */
	public KeyStore store(String name) {
		try (InputStream in = Files.newInputStream(this.directory.resolve(name + ".p12"))) {
			KeyStore store = KeyStore.getInstance("PKCS12");
			store.load(in, PASSWORD.toCharArray());
			return store;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** A server TLS context presenting the named certificate, trusting the test CA. */
	public SSLContext serverContext(String name) {
		try {
			KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
			keys.init(store(name), PASSWORD.toCharArray());
			TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
			trust.init(store("trust"));
			SSLContext context = SSLContext.getInstance("TLS");
			context.init(keys.getKeyManagers(), trust.getTrustManagers(), null);
			return context;
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

}
