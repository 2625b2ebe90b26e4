package org.rmiq.internal.transport;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Runs the JDK's AES-GCM, the cipher of every TLS 1.3 record here, a few thousand times on small
 * buffers in a background thread, once per JVM, when a master starts or a client has first joined.
 * Until the JIT compiles the GCM code, GHASH runs as plain Java at a few tens of MB a second; it
 * installs the CPU's carry-less multiply only after some thousands of records. A job of small tasks
 * sends few, large records, so without this a fresh JVM encrypted slowly for its first millions of
 * tasks (BENCHMARKS.md: 29 % of the rate after 3,000,000 squares). The warm-up costs about 0.1 s of
 * CPU while the master waits for its workers; afterwards 40 MB of records took 49 ms instead of 579
 * ms. It touches no key or connection of rmiq's: a zero key, fresh IVs, and the output is thrown
 * away.
 */
final class CipherWarmUp {
  private static final int ROUNDS = 6_000;
  private static final int BYTES = 256;
  private static final AtomicBoolean STARTED = new AtomicBoolean();

  private CipherWarmUp() {}

  /** Starts the warm-up unless this JVM has already. */
  static void startOnce() {
    if (STARTED.compareAndSet(false, true)) {
      Thread thread = new Thread(CipherWarmUp::run, "rmiq-cipher-warm-up");
      thread.setDaemon(true);
      thread.start();
    }
  }

  private static void run() {
    try {
      Cipher encrypt = Cipher.getInstance("AES/GCM/NoPadding");
      Cipher decrypt = Cipher.getInstance("AES/GCM/NoPadding");
      SecretKeySpec key = new SecretKeySpec(new byte[32], "AES");
      ByteBuffer plain = ByteBuffer.allocate(BYTES);
      ByteBuffer sealed = ByteBuffer.allocate(BYTES + 16);
      ByteBuffer opened = ByteBuffer.allocate(BYTES);
      byte[] iv = new byte[12];
      for (int round = 1; round <= ROUNDS; round++) {
        for (int i = 0; i < 4; i++) {
          iv[8 + i] = (byte) (round >>> (8 * i)); // GCM refuses to encrypt twice with one IV
        }
        encrypt.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, iv));
        plain.clear();
        sealed.clear();
        encrypt.doFinal(plain, sealed);
        sealed.flip();
        decrypt.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(128, iv));
        opened.clear();
        decrypt.doFinal(sealed, opened);
      }
    } catch (GeneralSecurityException | RuntimeException e) {
      // only a warm-up: TLS works without it, just more slowly at first
    }
  }
}
