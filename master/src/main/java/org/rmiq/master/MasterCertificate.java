package org.rmiq.master;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
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

  /** Fresh keys for an encrypted master with {@code token}. */
  static MasterKeys keysFor(Token token) {
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
      char[] password = new char[0];
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      store.setKeyEntry(
          "rmiq-master", pair.getPrivate(), password, new X509Certificate[] {certificate});
      KeyManagerFactory keys =
          KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      keys.init(store, password);
      SSLContext tls = SSLContext.getInstance("TLSv1.3");
      tls.init(keys.getKeyManagers(), null, new SecureRandom());
      return MasterKeys.encrypted(token.chars(), tls, certificate);
    } catch (GeneralSecurityException | OperatorCreationException | java.io.IOException e) {
      throw new IllegalStateException("this JDK cannot make an EC P-256 certificate for TLS", e);
    }
  }
}
