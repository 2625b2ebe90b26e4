package org.rmiq.internal.transport;

import java.security.SecureRandom;
import java.security.cert.Certificate;
import javax.net.ssl.SSLContext;

/**
 * What a master proves itself with on every connection: the token (the PAKE's password for the
 * class), the teacher key's secret (for teacher connections; none for a library master), its TLS
 * context with the certificate it made at start (null for plaintext), the binding of that
 * certificate, and its realm (the public instance id stubs name).
 */
public final class MasterKeys {
  private final char[] token;
  private final char[] teacherSecret;
  private final SSLContext tls;
  private final String binding;
  private final byte[] realm;

  private MasterKeys(
      char[] token, char[] teacherSecret, SSLContext tls, String binding, byte[] realm) {
    this.token = token;
    this.teacherSecret = teacherSecret;
    this.tls = tls;
    this.binding = binding;
    this.realm = realm;
  }

  /**
   * Keys for an encrypted master.
   *
   * @param tls a TLS context whose key manager presents {@code certificate}
   */
  public static MasterKeys encrypted(
      char[] token, char[] teacherSecret, SSLContext tls, Certificate certificate) {
    return new MasterKeys(
        token.clone(), copy(teacherSecret), tls, TlsChannel.binding(certificate), newRealm());
  }

  /** Keys for a master without TLS ({@code --insecure-plaintext}). */
  public static MasterKeys plaintext(char[] token, char[] teacherSecret) {
    return new MasterKeys(
        token.clone(), copy(teacherSecret), null, TlsChannel.PLAINTEXT_BINDING, newRealm());
  }

  private static char[] copy(char[] secret) {
    return secret == null ? null : secret.clone();
  }

  private static byte[] newRealm() {
    byte[] realm = new byte[Pake.REALM];
    new SecureRandom().nextBytes(realm);
    return realm;
  }

  char[] token() {
    return token;
  }

  /** The teacher key's secret, or null when the master takes no teacher connections. */
  char[] teacherSecret() {
    return teacherSecret;
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
