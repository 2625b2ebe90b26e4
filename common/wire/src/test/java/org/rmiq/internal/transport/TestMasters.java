package org.rmiq.internal.transport;

import com.google.common.base.Ticker;
import java.io.IOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.rmiq.net.HostPort;
import org.rmiq.net.Token;

/** A listening master transport on loopback and the clients that dial it, for the tests. */
final class TestMasters implements AutoCloseable {
  final MasterKeys keys;
  final MasterListener listener;
  final ServerSocket server;
  final BlockingQueue<Socket> accepted = new LinkedBlockingQueue<>();
  private final Thread acceptor;

  /** A TLS context and its certificate, as a master makes them. */
  record Identity(SSLContext tls, X509Certificate certificate) {}

  TestMasters(MasterKeys keys, Duration deadline) throws IOException {
    this(keys, deadline, Ticker.systemTicker());
  }

  TestMasters(MasterKeys keys, Duration deadline, Ticker ticker) throws IOException {
    this.keys = keys;
    listener =
        new MasterListener(
            keys, InetAddress.getLoopbackAddress(), deadline, ticker, "this master runs rmiq test");
    server = listener.createServerSocket(0);
    acceptor =
        new Thread(
            () -> {
              try {
                while (true) {
                  accepted.add(server.accept());
                }
              } catch (IOException closed) {
                // the test is over
              }
            },
            "test-accept");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  int port() {
    return server.getLocalPort();
  }

  static MasterKeys encrypted(String token) {
    Identity identity = identity();
    return MasterKeys.encrypted(token.toCharArray(), null, identity.tls(), identity.certificate());
  }

  /** A fresh P-256 key and self-signed certificate in a TLS context. */
  static Identity identity() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"));
      KeyPair pair = generator.generateKeyPair();
      X500Name name = new X500Name("CN=test");
      X509Certificate certificate =
          new JcaX509CertificateConverter()
              .getCertificate(
                  new JcaX509v3CertificateBuilder(
                          name,
                          BigInteger.ONE,
                          Date.from(Instant.now().minus(Duration.ofDays(1))),
                          Date.from(Instant.now().plus(Duration.ofDays(1))),
                          name,
                          pair.getPublic())
                      .build(
                          new JcaContentSignerBuilder("SHA256withECDSA").build(pair.getPrivate())));
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      store.setKeyEntry("k", pair.getPrivate(), new char[0], new X509Certificate[] {certificate});
      KeyManagerFactory keys =
          KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      keys.init(store, new char[0]);
      SSLContext tls = SSLContext.getInstance("TLSv1.3");
      tls.init(keys.getKeyManagers(), null, new SecureRandom());
      return new Identity(tls, certificate);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static ClientProfile profile(int port, String token) {
    return ClientProfile.of(new HostPort("127.0.0.1", port), Token.of(token));
  }

  /** Dials the master from 127.0.0.1 and runs the worker's side of the handshake. */
  static ClientHandshake.Joined join(ClientProfile profile) throws IOException {
    return join(profile, InetAddress.getLoopbackAddress());
  }

  /** Like {@link #join(ClientProfile)}, from another loopback address (another "host"). */
  static ClientHandshake.Joined join(ClientProfile profile, InetAddress from) throws IOException {
    Socket raw = new Socket();
    try {
      raw.bind(new InetSocketAddress(from, 0));
      raw.connect(new InetSocketAddress(profile.master().host(), profile.master().port()), 5000);
      return ClientHandshake.run(raw, profile);
    } catch (IOException | RuntimeException e) {
      raw.close();
      throw e;
    }
  }

  static InetAddress loopback(int last) throws IOException {
    return InetAddress.getByAddress(new byte[] {127, 0, 0, (byte) last});
  }

  @Override
  public void close() throws IOException {
    server.close();
    for (Socket s; (s = accepted.poll()) != null; ) {
      s.close();
    }
  }
}
