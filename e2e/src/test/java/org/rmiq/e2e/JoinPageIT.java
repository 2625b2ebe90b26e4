package org.rmiq.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.hash.Hashing;
import java.io.DataInputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The join page as a student uses it: the Linux line, pasted as it is into bash with only a JDK and
 * curl, downloads this master's worker, checks its SHA-256, joins and runs the job; a damaged
 * download is refused before Java starts.
 */
class JoinPageIT {
  private static final String TOKEN = "join-page-test-token";
  private static final Duration EXIT = Duration.ofSeconds(60);

  @TempDir Path dir;
  @RegisterExtension Processes processes = new Processes(TOKEN);

  private final HttpClient http = HttpClient.newHttpClient();

  /** A master whose page names 127.0.0.1, and the page's port. */
  private record Started(JvmProcess master, int port, int page) {}

  private Started master(String... job) throws Exception {
    List<String> args =
        new java.util.ArrayList<>(
            List.of("--port", "0", "--status-port", "0", "--host", "127.0.0.1"));
    args.addAll(List.of(job));
    JvmProcess master = processes.in(dir).master(args.toArray(String[]::new));
    int port = master.awaitMasterPort();
    master.awaitStderr("/join", Duration.ofSeconds(10));
    Matcher m =
        Pattern.compile("from the page: http://127\\.0\\.0\\.1:(\\d+)/join")
            .matcher(master.stderr());
    assertTrue(m.find(), master.stderr());
    return new Started(master, port, Integer.parseInt(m.group(1)));
  }

  private HttpResponse<String> get(int port, String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** The page's line for Linux and macOS, as a student copies it (the browser unescapes it). */
  private String unixLine(int page) throws Exception {
    String html = get(page, "/join").body();
    Matcher m = Pattern.compile("<pre class=\"line\">([^<]*)</pre>").matcher(html);
    assertTrue(m.find(), html);
    return m.group(1)
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&");
  }

  /** Runs {@code line} in bash in a folder of its own, as a student pastes it; ends it by PID. */
  private int paste(String line, Path folder, Path output) throws Exception {
    Files.createDirectories(folder);
    ProcessBuilder bash =
        new ProcessBuilder("bash", "-c", line)
            .directory(folder.toFile())
            .redirectErrorStream(true)
            .redirectOutput(output.toFile());
    bash.environment().put("RMIQ_TOKEN", TOKEN);
    bash.environment().put("XDG_CONFIG_HOME", folder.resolve("config").toString());
    // the jar keeps its class-data archive in the student's cache folder (JarRelaunch)
    bash.environment().put("XDG_CACHE_HOME", folder.resolve("cache").toString());
    bash.environment().keySet().removeAll(java.util.List.of("RMIQ_CDS", "JAVA_TOOL_OPTIONS"));
    bash.environment()
        .put("PATH", Path.of(System.getProperty("java.home"), "bin") + ":" + System.getenv("PATH"));
    Process process = bash.start();
    try {
      assertTrue(process.waitFor(EXIT.toSeconds(), TimeUnit.SECONDS), Files.readString(output));
      return process.exitValue();
    } finally {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
    }
  }

  @Test
  void theLinuxLinePastedAsItIsDownloadsChecksJoinsAndRunsTheJob() throws Exception {
    Started started = master("square", "1..20");
    String line = unixLine(started.page());
    assertTrue(line.contains("127.0.0.1:" + started.port()), line);
    Path student = dir.resolve("student");
    Path output = dir.resolve("student.out");
    int code = paste(line + " --exit-when-done", student, output);
    assertEquals(0, code, Files.readString(output));
    assertEquals(0, started.master().awaitExit(EXIT), started.master().stderr());
    assertTrue(started.master().stderr().contains("20 task(s): 20 ok"), started.master().stderr());
    byte[] jar = Files.readAllBytes(student.resolve("rmiq-worker.jar"));
    assertTrue(
        line.contains(Hashing.sha256().hashBytes(jar).toString()), "the line checks this jar");
    // the first start ran itself again and, having joined, kept its class-data archive
    assertTrue(
        Files.readString(output).contains("saving the classes this start loaded"),
        Files.readString(output));
    try (var archives = Files.list(student.resolve("cache/rmiq/class-data"))) {
      assertEquals(1, archives.filter(f -> f.toString().endsWith(".jsa")).count());
    }
  }

  @Test
  void aDamagedDownloadIsRefusedBeforeJavaStarts() throws Exception {
    Started started = master("--wait-for-workers", "30s", "square", "1..5");
    String line = unixLine(started.page());
    Matcher sha = Pattern.compile("[0-9a-f]{64}").matcher(line);
    assertTrue(sha.find());
    String wrong = sha.group().substring(0, 63) + (sha.group().endsWith("0") ? "1" : "0");
    Path output = dir.resolve("damaged.out");
    int code = paste(line.replace(sha.group(), wrong), dir.resolve("damaged"), output);
    assertNotEquals(0, code);
    String said = Files.readString(output);
    assertTrue(said.contains("FAILED"), said);
    assertFalse(said.contains("joined"), "the worker never started: " + said);
  }

  @Test
  void theJarIsServedWholeWithItsLength() throws Exception {
    Started started = master("--wait-for-workers", "30s", "square", "1");
    HttpResponse<byte[]> jar =
        http.send(
            HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + started.page() + "/rmiq-worker.jar"))
                .build(),
            HttpResponse.BodyHandlers.ofByteArray());
    assertEquals(200, jar.statusCode());
    assertEquals(
        String.valueOf(jar.body().length), jar.headers().firstValue("Content-Length").orElse(""));
    assertTrue(jar.body().length > 1_000_000);
  }

  @Test
  void aWorkerOfAnotherVersionIsToldWhereThisMastersWorkerIs() throws Exception {
    Started started = master("--wait-for-workers", "30s", "square", "1");
    try (Socket old = new Socket(InetAddress.getLoopbackAddress(), started.port())) {
      old.setSoTimeout(5000);
      old.getOutputStream().write(new byte[] {'R', 'M', 'I', 'Q', 3, 1, '\r', '\n'});
      DataInputStream in = new DataInputStream(old.getInputStream());
      byte[] answer = in.readNBytes(8);
      assertEquals(4, answer[5], "other version");
      int length = in.readUnsignedShort();
      String note = new String(in.readNBytes(length), StandardCharsets.UTF_8);
      assertTrue(
          note.contains(
              "download its worker from http://127.0.0.1:" + started.page() + "/rmiq-worker.jar"),
          note);
    }
  }

  @Test
  void inABrowserThePageShowsTheAddressTheJavaCheckThreeLinesAndTheJarsSha() throws Exception {
    Started started = master("--wait-for-workers", "30s", "square", "1");
    try (Browser b = Browser.start(dir, 1100, 900)) {
      b.driver.get("http://127.0.0.1:" + started.page() + "/join");
      String text = b.driver.findElement(org.openqa.selenium.By.tagName("body")).getText();
      assertTrue(text.contains("127.0.0.1:" + started.port()), text);
      assertTrue(text.contains("java -version"), text);
      assertEquals(
          3, b.driver.findElements(org.openqa.selenium.By.cssSelector("pre.line")).size(), text);
      Matcher sha = Pattern.compile("[0-9a-f]{64}").matcher(text);
      assertTrue(sha.find(), text);
      b.screenshot(dir, "join-page.png");
    }
  }
}
