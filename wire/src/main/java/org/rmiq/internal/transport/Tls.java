package org.rmiq.internal.transport;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

/**
 * Optional TLS 1.3 around the rmiq handshake. The master presents the key in its keystore; workers
 * trust exactly the certificates in their truststore (made from that keystore by {@code
 * scripts/make-tls.sh}), so the certificate is pinned and no host name check is needed — workers
 * reach the master at whatever address the user typed.
 */
public final class Tls {
  /** The truststore holds only a public certificate, so its password is not a secret. */
  public static final char[] TRUSTSTORE_PASSWORD = "rmiq-public".toCharArray();

  private static final String[] PROTOCOLS = {"TLSv1.3"};

  private Tls() {}

  /**
   * The master's TLS context from a PKCS12 keystore.
   *
   * @throws IllegalArgumentException naming the file and what is wrong with it
   */
  public static SSLContext forMaster(Path keystore, char[] password) {
    try {
      KeyManagerFactory keys =
          KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      keys.init(load(keystore, password, "--tls-keystore"), password);
      SSLContext context = SSLContext.getInstance("TLSv1.3");
      context.init(keys.getKeyManagers(), null, null);
      return context;
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException(
          "--tls-keystore "
              + keystore
              + " has no usable key ("
              + e.getMessage()
              + "); make one with scripts/make-tls.sh",
          e);
    }
  }

  /**
   * A worker's TLS context that trusts only the certificates in a PKCS12 truststore.
   *
   * @throws IllegalArgumentException naming the file and what is wrong with it
   */
  public static SSLContext forWorker(Path truststore) {
    try {
      TrustManagerFactory trust =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      trust.init(load(truststore, TRUSTSTORE_PASSWORD, "--tls-truststore"));
      SSLContext context = SSLContext.getInstance("TLSv1.3");
      context.init(null, trust.getTrustManagers(), null);
      return context;
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException(
          "--tls-truststore "
              + truststore
              + " cannot be used ("
              + e.getMessage()
              + "); copy workers.p12 from the master's scripts/make-tls.sh folder",
          e);
    }
  }

  private static KeyStore load(Path file, char[] password, String flag) {
    try (InputStream in = Files.newInputStream(file)) {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(in, password);
      return store;
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException(
          flag + " " + file + " does not exist; make it with" + " scripts/make-tls.sh", e);
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalArgumentException(
          flag
              + " "
              + file
              + " cannot be read ("
              + e.getMessage()
              + "); is it the file scripts/make-tls.sh made, with its password?",
          e);
    }
  }

  /** Wraps an accepted connection and runs the server side of the TLS handshake. */
  static SSLSocket serve(Socket raw, SSLContext context) throws IOException {
    SSLSocket ssl =
        (SSLSocket) context.getSocketFactory().createSocket(raw, null, raw.getPort(), true);
    ssl.setUseClientMode(false);
    ssl.setEnabledProtocols(PROTOCOLS);
    ssl.startHandshake();
    return ssl;
  }

  /** Wraps a connected socket and runs the client side, checking the master's certificate. */
  static SSLSocket join(Socket raw, SSLContext context) throws IOException {
    SSLSocket ssl =
        (SSLSocket)
            context
                .getSocketFactory()
                .createSocket(raw, raw.getInetAddress().getHostAddress(), raw.getPort(), true);
    ssl.setUseClientMode(true);
    ssl.setEnabledProtocols(PROTOCOLS);
    ssl.startHandshake();
    return ssl;
  }
}
