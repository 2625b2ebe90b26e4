package org.rmiq.master;

import com.google.common.base.Ticker;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.rmiq.net.TeacherKey;
import org.rmiq.net.Token;

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
    List<String> servedHosts) {}
