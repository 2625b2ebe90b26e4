package org.rmiq.master;

import java.math.BigInteger;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.net.ssl.X509ExtendedTrustManager;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.rmiq.internal.transport.MasterKeys;
import org.rmiq.net.Token;

/**
 * The key pair and self-signed certificate a master makes at start for TLS (P-256, ECDSA). It lives
 * in memory only: workers trust it because the PAKE binds it to the token, so there is no file to
 * copy and nothing to expire between lessons.
 */
final class MasterCertificate {
  private MasterCertificate() {}

  /** A key and certificate made ahead, on another thread, while the command line is parsed. */
  private static final java.util.concurrent.atomic.AtomicReference<
          java.util.concurrent.FutureTask<Identity>>
      early = new java.util.concurrent.atomic.AtomicReference<>();

  /** A TLS key, its self-signed certificate, and the TLS context that presents them. */
  private record Identity(KeyPair pair, X509Certificate certificate, SSLContext tls) {}

  /**
   * Starts making the next master's key and certificate in the background: cold, the JDK's EC key
   * generation and the certificate's signature take a fifth of a second of a master's start.
   */
  static void startEarly() {
    java.util.concurrent.FutureTask<Identity> task =
        new java.util.concurrent.FutureTask<>(MasterCertificate::identity);
    if (early.compareAndSet(null, task)) {
      Thread thread = new Thread(task, "rmiq-master-certificate");
      thread.setDaemon(true);
      thread.start();
    }
  }

  /** Fresh keys for an encrypted master with {@code token}. */
  static MasterKeys keysFor(Token token, char[] teacherSecret) {
    try {
      Identity identity = takeEarly();
      if (identity == null) {
        identity = identity();
      }
      return MasterKeys.encrypted(
          token.chars(), teacherSecret, identity.tls(), identity.certificate());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("this JDK cannot make an EC P-256 certificate for TLS", e);
    }
  }

  /** The key made ahead, once (each master needs its own), or null. */
  private static Identity takeEarly() {
    java.util.concurrent.FutureTask<Identity> task = early.getAndSet(null);
    if (task == null) {
      return null;
    }
    try {
      return task.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    } catch (java.util.concurrent.ExecutionException e) {
      return null; // made again on this thread, which reports the failure
    }
  }

  private static Identity identity() throws GeneralSecurityException {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"), new SecureRandom());
      KeyPair pair = generator.generateKeyPair();
      X500Name name = new X500Name("CN=rmiq master");
      Instant now = Instant.now();
      X509Certificate certificate =
          new JcaX509CertificateConverter()
              .getCertificate(
                  new JcaX509v3CertificateBuilder(
                          name,
                          new BigInteger(64, new SecureRandom()),
                          Date.from(now.minus(Duration.ofDays(1))),
                          Date.from(now.plus(Duration.ofDays(3650))),
                          name,
                          pair.getPublic())
                      .build(
                          new JcaContentSignerBuilder("SHA256withECDSA").build(pair.getPrivate())));
      // The context too: cold, setting up the JDK's TLS takes a tenth of a second more. With no
      // trust manager given, the JDK would read and parse its ~150 authorities' certificates
      // (cacerts: ~0.1 s of this thread at every start) for a check a master never makes.
      SSLContext tls = SSLContext.getInstance("TLSv1.3");
      tls.init(
          new KeyManager[] {new OneKey(pair.getPrivate(), certificate)},
          new TrustManager[] {new NoClientCertificates()},
          new SecureRandom());
      return new Identity(pair, certificate, tls);
    } catch (OperatorCreationException e) {
      throw new GeneralSecurityException("cannot sign the certificate", e);
    }
  }

  /**
   * Trusts no certificate. A master's TLS never asks a client for one (workers and submitters prove
   * themselves with the PAKE that follows) and never connects as a TLS client, so nothing calls
   * this; were anything to, it is refused.
   */
  private static final class NoClientCertificates extends X509ExtendedTrustManager {
    private static final String REFUSED = "an rmiq master trusts no certificate";

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType)
        throws CertificateException {
      throw new CertificateException(REFUSED);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
        throws CertificateException {
      throw new CertificateException(REFUSED);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
        throws CertificateException {
      throw new CertificateException(REFUSED);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType)
        throws CertificateException {
      throw new CertificateException(REFUSED);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
        throws CertificateException {
      throw new CertificateException(REFUSED);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
        throws CertificateException {
      throw new CertificateException(REFUSED);
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[0];
    }
  }

  /**
   * Presents the one key and certificate. A PKCS12 key store would do the same, but it encrypts the
   * key it is handed with 10,000 rounds of PBKDF2 that nobody ever reads back: a tenth of a second
   * of a master's start-up, and compiled code the JIT then spent more time on.
   */
  private static final class OneKey extends X509ExtendedKeyManager {
    private static final String ALIAS = "rmiq-master";
    private final PrivateKey key;
    private final X509Certificate[] chain;

    OneKey(PrivateKey key, X509Certificate certificate) {
      this.key = key;
      this.chain = new X509Certificate[] {certificate};
    }

    private static String ifEc(String keyType) {
      return "EC".equals(keyType) ? ALIAS : null;
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
      return ifEc(keyType);
    }

    @Override
    public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
      return ifEc(keyType);
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
      return "EC".equals(keyType) ? new String[] {ALIAS} : null;
    }

    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
      return null; // a master never authenticates as a TLS client
    }

    @Override
    public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
      return null;
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
      return ALIAS.equals(alias) ? chain.clone() : null;
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
      return ALIAS.equals(alias) ? key : null;
    }
  }
}
