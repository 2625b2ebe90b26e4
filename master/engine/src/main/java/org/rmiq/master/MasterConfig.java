package org.rmiq.master;

import com.google.common.base.Ticker;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.rmiq.internal.transport.MasterKeys;
import org.rmiq.net.TeacherKey;
import org.rmiq.net.Token;
import org.rmiq.util.RmiqVersion;

/** A master's settings, copied from its builder at {@link MasterBuilder#build}. */
record MasterConfig(
    int port,
    Token token,
    InetAddress bindAddress,
    Duration lease,
    Duration heartbeat,
    Duration handshakeDeadline,
    int maxAttempts,
    Duration retryBackoff,
    Duration taskTimeout,
    TeacherKey teacherKey,
    String workerDownload,
    Ticker ticker,
    Path journal,
    boolean insecurePlaintext,
    Path collectFolder,
    long collectMaxBytes,
    long collectMaxTotal,
    List<String> servedHosts) {

  /** The fingerprint of the teacher key that signs shipped code, or null when it has none. */
  String codeFingerprint() {
    return teacherKey == null ? null : teacherKey.fingerprint();
  }

  /** The keys the port's handshake proves: the class code's, and the teacher key's if any. */
  MasterKeys keys() {
    char[] teacherSecret = teacherKey == null ? null : teacherKey.secret();
    return insecurePlaintext
        ? MasterKeys.plaintext(token.chars(), teacherSecret)
        : MasterCertificate.keysFor(token, teacherSecret);
  }

  /** What a worker of another version is told: this version, and where this master's worker is. */
  String versionNote() {
    return "this master runs rmiq "
        + RmiqVersion.get()
        + (workerDownload == null ? "" : "; download its worker from " + workerDownload);
  }

  /** The folder files from workers are stored in, or null when none are collected. */
  FileCollector openCollector(Journal journal) throws IOException {
    if (collectFolder == null) {
      return null;
    }
    return FileCollector.open(
        collectFolder,
        collectMaxBytes,
        collectMaxTotal,
        ticker,
        journal == null ? Map.of() : journal.keptFiles(),
        journal == null ? (task, name) -> {} : journal::kept);
  }
}
