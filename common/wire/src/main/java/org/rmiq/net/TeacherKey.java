package org.rmiq.net;

import com.google.common.hash.Hashing;
import com.google.common.io.BaseEncoding;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The teacher's credential, which the class code is not: it lets its holder submit and cancel jobs
 * and ship code, and it signs the code a master ships so that workers started with {@code
 * --accept-code-from FINGERPRINT} load only the teacher's code, whoever sits in the middle.
 *
 * <p>It holds two keys: a 256-bit secret, the password of the same PAKE the class code uses (so it
 * never crosses the wire and a guess can only be tested online, once per connection), and an
 * Ed25519 key pair (the JDK's own) for signatures. Its {@link #fingerprint} names the public key:
 * 80 bits in 16 characters, short enough to copy from the board. {@link #toString} shows only the
 * fingerprint.
 */
public final class TeacherKey {
  /** The first line of a teacher-key file, for whoever opens it. */
  static final String HEADER =
      "# rmiq teacher key: whoever holds this file can submit jobs and ship code to this"
          + " teacher's class; keep it private (mode 600), never print or send it";

  private static final SecureRandom random = new SecureRandom();
  private static final BaseEncoding FINGERPRINT = BaseEncoding.base32().lowerCase().omitPadding();
  private static final int FINGERPRINT_BYTES = 10;

  private final char[] secret;
  private final PrivateKey signing;
  private final byte[] publicKey;

  /** Where it was read from, for the message when its two keys do not belong together. */
  private final String source;

  /** Whether a signature was checked against {@link #publicKey} yet. */
  private volatile boolean pairChecked;

  private TeacherKey(char[] secret, PrivateKey signing, byte[] publicKey) {
    this(secret, signing, publicKey, null);
    this.pairChecked = true; // made together
  }

  private TeacherKey(char[] secret, PrivateKey signing, byte[] publicKey, String source) {
    this.secret = secret;
    this.signing = signing;
    this.publicKey = publicKey;
    this.source = source;
  }

  /** A new key: a random secret and a new Ed25519 key pair. */
  public static TeacherKey generate() {
    byte[] bytes = new byte[32];
    random.nextBytes(bytes);
    try {
      KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
      return new TeacherKey(
          Base64.getUrlEncoder().withoutPadding().encodeToString(bytes).toCharArray(),
          pair.getPrivate(),
          pair.getPublic().getEncoded());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("this JDK has no Ed25519 (it needs Java 15 or newer)", e);
    }
  }

  /**
   * A key from the text of its file ({@link #encode}).
   *
   * @param source how to name the file in messages
   * @throws IllegalArgumentException naming {@code source} when the text is not a teacher key
   */
  public static TeacherKey parse(String text, String source) {
    Map<String, String> fields = new LinkedHashMap<>();
    for (String line : text.split("\n", -1)) {
      String trimmed = line.strip();
      int colon = trimmed.indexOf(':');
      if (trimmed.isEmpty() || trimmed.startsWith("#") || colon < 0) {
        continue;
      }
      fields.put(trimmed.substring(0, colon).strip(), trimmed.substring(colon + 1).strip());
    }
    String secret = fields.get("secret");
    String signing = fields.get("signing-key");
    String pub = fields.get("public-key");
    if (secret == null || signing == null || pub == null || secret.length() < 32) {
      throw new IllegalArgumentException(
          source
              + " is not an rmiq teacher key (it needs its secret, signing-key and public-key"
              + " lines); copy the teacher-key file from the teacher's machine whole");
    }
    try {
      KeyFactory keys = KeyFactory.getInstance("Ed25519");
      PrivateKey privateKey =
          keys.generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(signing)));
      byte[] publicKey = Base64.getDecoder().decode(pub);
      keys.generatePublic(new X509EncodedKeySpec(publicKey)); // checks it
      // that the two keys belong together is checked at the first signature, not here: cold,
      // Ed25519 costs a tenth of a second of every start of a master that may never sign
      return new TeacherKey(secret.toCharArray(), privateKey, publicKey, source);
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      if (e instanceof IllegalArgumentException iae && iae.getMessage().startsWith(source)) {
        throw iae;
      }
      throw new IllegalArgumentException(
          source + " holds a damaged teacher key (" + e.getMessage() + ")", e);
    }
  }

  /** The text of its file. */
  public String encode() {
    Base64.Encoder base64 = Base64.getEncoder();
    return HEADER
        + "\nsecret: "
        + new String(secret)
        + "\nsigning-key: "
        + base64.encodeToString(signing.getEncoded())
        + "\npublic-key: "
        + base64.encodeToString(publicKey)
        + "\n";
  }

  /** The PAKE password (a copy): for the transport, never to show. */
  public char[] secret() {
    return secret.clone();
  }

  /** The public key that checks its signatures (X.509 encoded). */
  public byte[] publicKey() {
    return publicKey.clone();
  }

  /** The short name of its public key, e.g. {@code k7xq-3m9d-2ppa-hw4c}. */
  public String fingerprint() {
    return fingerprintOf(publicKey);
  }

  /** Signs {@code data} with Ed25519. */
  public byte[] sign(byte[] data) {
    byte[] signature;
    try {
      Signature signer = Signature.getInstance("Ed25519");
      signer.initSign(signing);
      signer.update(data);
      signature = signer.sign();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Ed25519 signing failed: " + e.getMessage(), e);
    }
    if (!pairChecked) {
      if (!verify(publicKey, data, signature)) {
        throw new IllegalArgumentException(
            source
                + " holds a signing key and a public key that do not belong together; copy the"
                + " teacher-key file from the teacher's machine whole");
      }
      pairChecked = true;
    }
    return signature;
  }

  /** Whether {@code signature} is {@code publicKey}'s Ed25519 signature of {@code data}. */
  public static boolean verify(byte[] publicKey, byte[] data, byte[] signature) {
    try {
      PublicKey key =
          KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(publicKey));
      Signature verifier = Signature.getInstance("Ed25519");
      verifier.initVerify(key);
      verifier.update(data);
      return verifier.verify(signature);
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      return false; // a malformed key or signature proves nothing
    }
  }

  /** The fingerprint of a public key: 80 bits of its SHA-256 in base32, in groups of four. */
  public static String fingerprintOf(byte[] publicKey) {
    byte[] hash = Hashing.sha256().hashBytes(publicKey).asBytes();
    String text = FINGERPRINT.encode(Arrays.copyOf(hash, FINGERPRINT_BYTES));
    return text.substring(0, 4)
        + "-"
        + text.substring(4, 8)
        + "-"
        + text.substring(8, 12)
        + "-"
        + text.substring(12, 16);
  }

  /**
   * A fingerprint as typed ({@code K7XQ 3M9D-2ppa hw4c}), in the form {@link #fingerprint} gives.
   *
   * @throws IllegalArgumentException when it is not 16 base32 characters
   */
  public static String normalizeFingerprint(String typed) {
    String bare = typed.toLowerCase(Locale.ROOT).replaceAll("[\\s-]", "");
    if (bare.length() != 16 || !bare.matches("[a-z2-7]{16}")) {
      throw new IllegalArgumentException(
          "'"
              + typed
              + "' is not a teacher fingerprint: it is 16 letters and digits 2-7 in four groups,"
              + " as the master prints it (e.g. k7xq-3m9d-2ppa-hw4c)");
    }
    return bare.substring(0, 4)
        + "-"
        + bare.substring(4, 8)
        + "-"
        + bare.substring(8, 12)
        + "-"
        + bare.substring(12, 16);
  }

  @Override
  public String toString() {
    return "TeacherKey[" + fingerprint() + "]"; // never the secret
  }
}
