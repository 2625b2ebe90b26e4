package org.rmiq.util;

/**
 * A setting that rmiq's messages point at ("raise the size limit: …"). The engines name settings by
 * this type, never by a command's flag: a program that embeds them shows the library's way to
 * change each ({@link #library}), and rmiq's commands register their flags ({@link SettingNames}).
 */
public enum Setting {
  /** The master's heap; {@code %d} is replaced by a size in GiB. */
  HEAP("a bigger heap (e.g. java -Xmx%dg)"),
  /** The master's journal file. */
  JOURNAL("MasterBuilder.journal(file)"),
  /** The master's folder for files workers send. */
  COLLECT("MasterBuilder.collect(folder, …)"),
  /** The largest file the master collects. */
  COLLECT_MAX_BYTES("MasterBuilder.collect(…, maxBytes, …)"),
  /** All collected files together. */
  COLLECT_MAX_TOTAL("MasterBuilder.collect(…, maxTotal)"),
  /** A job's replicas. */
  REPLICAS("JobSpec.withReplicas(n)"),
  /** The jars a master offers to workers that accept code. */
  MASTER_PLUGINS("Master.offerForGood(…)"),
  /** A worker's own plugin folder. */
  WORKER_PLUGINS("Worker.Builder.plugins(folder)"),
  /** A worker that runs the teacher's shipped code. */
  ACCEPT_CODE("Worker.Builder.acceptCodeFrom(fingerprint)"),
  /** A worker's threads. */
  THREADS("Worker.Builder.threads(n)"),
  /** How long a worker waits for its first master. */
  CONNECT_TIMEOUT("Worker.Builder.waitForMaster(duration)"),
  /** Downloads a worker runs at once. */
  DOWNLOADS("DownloadSettings.withConcurrent(n)"),
  /** The longest one download may take. */
  DOWNLOAD_TIMEOUT("DownloadSettings.withTimeout(duration)"),
  /** The largest download. */
  MAX_BYTES("DownloadSettings.withMaxBytes(bytes)"),
  /** Where downloads are saved. */
  DOWNLOAD_DIR("DownloadSettings.withFolder(folder)"),
  /** Downloads from private and loopback addresses. */
  ALLOW_PRIVATE_ADDRESSES("DownloadSettings.withAllowPrivateAddresses(true)"),
  /** Connections without TLS. */
  INSECURE_PLAINTEXT("insecurePlaintext(true) on the master's and the worker's builders"),
  /** A copy of the teacher key on another machine. */
  TEACHER_KEY_FILE("MasterClient.Builder.teacherKey(key)"),
  /** A new teacher key. */
  NEW_TEACHER_KEY("a new TeacherKey"),
  /** The program that runs a master. */
  MASTER_PROGRAM("the master's program"),
  /** The program that submits jobs to a session. */
  SUBMITTER("its submitter");

  private final String library;

  Setting(String library) {
    this.library = library;
  }

  /** How a program that embeds rmiq changes it. */
  public String library() {
    return library;
  }
}
