package org.rmiq.internal.transport;

import java.security.SecureRandom;
import java.security.cert.Certificate;
import javax.net.ssl.SSLContext;

/**
 * What a master proves itself with on every connection: the token (the PAKE's password), its TLS
 * context with the certificate it made at start (null for plaintext), the binding of that
 * certificate, and its realm (the public instance id stubs name).
 */
public final class MasterKeys {
  private final char[] token;
  private final SSLContext tls;
  private final String binding;
  private final byte[] realm;

  private MasterKeys(char[] token, SSLContext tls, String binding, byte[] realm) {
    this.token = token;
    this.tls = tls;
    this.binding = binding;
    this.realm = realm;
  }

  /**
   * Keys for an encrypted master.
   *
   * @param tls a TLS context whose key manager presents {@code certificate}
   */
  public static MasterKeys encrypted(char[] token, SSLContext tls, Certificate certificate) {
    CipherWarmUp.startOnce(); // while the master waits for its first workers
    return new MasterKeys(token.clone(), tls, TlsChannel.binding(certificate), newRealm());
  }

  /** Keys for a master without TLS ({@code --insecure-plaintext}). */
  public static MasterKeys plaintext(char[] token) {
    return new MasterKeys(token.clone(), null, TlsChannel.PLAINTEXT_BINDING, newRealm());
  }

  private static byte[] newRealm() {
    byte[] realm = new byte[Pake.REALM];
    new SecureRandom().nextBytes(realm);
    return realm;
  }

  char[] token() {
    return token;
  }

  SSLContext tls() {
    return tls;
  }

  String binding() {
    return binding;
  }

  /** The realm (a copy). */
  public byte[] realm() {
    return realm.clone();
  }

  /** True unless the master runs with {@code --insecure-plaintext}. */
  public boolean encrypted() {
    return tls != null;
  }
}
