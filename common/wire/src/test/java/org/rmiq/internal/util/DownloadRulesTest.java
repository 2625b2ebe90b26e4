package org.rmiq.internal.util;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rmiq.internal.wire.TaskResult;
import org.rmiq.util.Sizes;
import org.rmiq.util.WebAddress;

/** The rules downloads share between master and worker: URLs, safe names, sizes, details. */
class DownloadRulesTest {
  @TempDir Path dir;

  private static String error(Runnable r) {
    return assertThrows(IllegalArgumentException.class, r::run).getMessage();
  }

  @Test
  void acceptsHttpAndHttpsUrlsAndDropsTheFragment() {
    assertEquals(
        URI.create("http://example.com/a%20b.jpg?x=1"),
        WebAddress.parse("  HTTP://example.com/a%20b.jpg?x=1#top "));
    assertEquals(
        URI.create("https://example.com:8443/"), WebAddress.parse("https://example.com:8443"));
    assertEquals(
        URI.create("http://xn--bcher-kva.example:81/b%C3%BCch.jpg"),
        WebAddress.parse("http://bücher.example:81/b%C3%BCch.jpg"));
  }

  @Test
  void refusesEverythingElseSayingWhy() {
    assertEquals(
        "only http and https URLs are downloaded, not file:",
        error(() -> WebAddress.parse("file:///etc/passwd")));
    assertEquals(
        "only http and https URLs are downloaded, not ftp:",
        error(() -> WebAddress.parse("ftp://example.com/x")));
    assertEquals(
        "not an absolute URL: start it with http:// or https://",
        error(() -> WebAddress.parse("example.com/x.jpg")));
    assertTrue(
        error(() -> WebAddress.parse("http://user:secret@example.com/"))
            .startsWith("the URL contains a user name or password"));
    assertTrue(
        error(() -> WebAddress.parse("http://exa mple.com/"))
            .startsWith("not a valid URL: Illegal character in authority at character 8"));
    assertEquals(
        "the URL has no valid host name after http://", error(() -> WebAddress.parse("http:///x")));
    assertEquals("the URL is empty", error(() -> WebAddress.parse(" ")));
  }

  @Test
  void namesComeFromTheLastPathSegmentMadeSafe() {
    assertEquals("photo 1.jpg", name("http://h/a/photo%201.jpg?size=big"));
    assertEquals("_.._evil.txt", name("http://h/x/..%2F..%2Fevil.txt"));
    assertEquals("_etc_passwd", name("http://h/%2Fetc%2Fpasswd"));
    assertEquals("bashrc", name("http://h/.bashrc"));
    assertEquals("download", name("http://h/"));
    assertEquals("download", name("http://h/..."));
    assertEquals("images", name("http://h/images/"));
    assertEquals("a_b_c", name("http://h/a%5Cb%00c"));
    assertEquals("gpj.exe_", name("http://h/gpj.exe%E2%80%AE")); // no right-to-left override
    assertEquals("_con.txt", name("http://h/con.txt"));
    String longName = name("http://h/" + "a".repeat(400) + ".jpeg");
    assertTrue(longName.endsWith(".jpeg") && longName.length() == SafeFileName.MAX_BYTES);
  }

  private static String name(String url) {
    return SafeFileName.fromUrl(URI.create(url));
  }

  @Test
  void reservingNeverReusesOrFollowsAnExistingName() throws Exception {
    Path real = dir.toRealPath();
    assertEquals(real.resolve("a.jpg"), SafeFileName.reserve(real, "a.jpg"));
    Files.createSymbolicLink(real.resolve("a-1.jpg"), real.resolve("nowhere"));
    assertEquals(real.resolve("a-2.jpg"), SafeFileName.reserve(real, "a.jpg"));
    assertEquals(real.resolve("_.._x"), SafeFileName.reserve(real, "../../x"));
    assertEquals(false, Files.exists(real.resolve("nowhere")));
  }

  @Test
  void aFinishedFileMovesInWholeAndAFailedMoveLeavesNoName() throws Exception {
    Path real = dir.toRealPath();
    Path temp = Files.writeString(real.resolve(".part"), "body");
    assertEquals(real.resolve("a.txt"), SafeFileName.moveInto(temp, real, "a.txt"));
    assertEquals("body", Files.readString(real.resolve("a.txt")));
    assertThrows(
        java.nio.file.NoSuchFileException.class,
        () -> SafeFileName.moveInto(real.resolve("gone.part"), real, "b.txt"));
    assertEquals(false, Files.exists(real.resolve("b.txt")));
  }

  @Test
  void partialFilesAreHiddenNewAndNotOwnerOnly() throws Exception {
    Path real = dir.toRealPath();
    Path a = SafeFileName.createPartial(real, ".rmiq-test-");
    Path b = SafeFileName.createPartial(real, ".rmiq-test-");
    assertTrue(
        a.getFileName().toString().startsWith(".rmiq-test-")
            && a.toString().endsWith(".part")
            && !a.equals(b)
            && a.getParent().equals(real));
    var umaskFile = Files.createFile(real.resolve("plain"));
    assertEquals(
        Files.getPosixFilePermissions(umaskFile),
        Files.getPosixFilePermissions(a),
        "the same permissions as any new file");
  }

  @Test
  void sizesReadWithBinaryUnits() {
    assertEquals(100L << 20, Sizes.parse("100MB"));
    assertEquals(512L << 10, Sizes.parse("512kb"));
    assertEquals(2L << 30, Sizes.parse("2 GiB"));
    assertEquals(1234, Sizes.parse("1234"));
    assertEquals("100MB", Sizes.format(100L << 20));
    assertTrue(error(() -> Sizes.parse("12 parsecs")).startsWith("'12 parsecs' is not a size"));
    assertEquals("'0MB' is zero: give a positive size", error(() -> Sizes.parse("0MB")));
  }

  @Test
  void resultDetailsAreCheckedAndCopied() {
    assertEquals(Map.of("bytes", "3"), TaskResult.ok(1, "a", Map.of("bytes", "3"), 0).details());
    assertEquals(Map.of(), TaskResult.ok(1, "a", 0).details());
    assertTrue(
        error(() -> TaskResult.ok(1, "a", Map.of("bad name", "x"), 0))
            .contains("detail name 'bad name' is not 1 to 32 letters and digits"));
    assertTrue(
        error(
                () ->
                    TaskResult.ok(
                        1, "a", Map.of("big", "x".repeat(TaskResult.MAX_DETAIL_CHARS + 1)), 0))
            .contains("detail big must be a text"));
  }
}
