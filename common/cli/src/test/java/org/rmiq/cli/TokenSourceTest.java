package org.rmiq.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rmiq.net.Token;

class TokenSourceTest {
  @TempDir Path dir;

  private Map<String, String> env(String... pairs) {
    java.util.HashMap<String, String> env = new java.util.HashMap<>();
    env.put("XDG_CONFIG_HOME", dir.resolve("config").toString());
    for (int i = 0; i < pairs.length; i += 2) {
      env.put(pairs[i], pairs[i + 1]);
    }
    return env;
  }

  @Test
  void aMasterWithNoTokenMakesThisMachinesClassTokenOnceAndKeepsIt() throws Exception {
    TokenSource first = TokenSource.forMaster(env(), null, false);
    Path file = dir.resolve("config/rmiq/token");
    assertEquals("this machine's class token (" + file + ")", first.source());
    assertTrue(first.classToken().matches("[a-z]{3,6}(-[a-z]{3,6}){3}"), first.classToken());
    assertTrue(first.classToken().length() <= 32);
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    assertEquals(
        "rwx------",
        PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent())));
    assertTrue(first.warnings().get(0).startsWith("made this machine's class token"));

    TokenSource second = TokenSource.forMaster(env(), null, false);
    assertEquals(first.classToken(), second.classToken(), "a second master reuses it");
    assertTrue(second.warnings().isEmpty());
    assertEquals(first.token(), TokenSource.forClient(env(), null).token(), "and so do workers");
  }

  @Test
  void newTokenReplacesTheClassToken() {
    String old = TokenSource.forMaster(env(), null, false).classToken();
    String renewed = TokenSource.forMaster(env(), null, true).classToken();
    assertNotEquals(old, renewed);
    assertEquals(renewed, TokenSource.forMaster(env(), null, false).classToken());
  }

  @Test
  void anExplicitTokenFileWinsOverAStaleEnvironmentVariable() throws Exception {
    Path file = dir.resolve("class.token");
    Files.writeString(file, "from-the-file-token\n");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    TokenSource source = TokenSource.forClient(env("RMIQ_TOKEN", "stale-one"), file);
    assertEquals(Token.of("from-the-file-token"), source.token());
    assertEquals("--token-file " + file, source.source());
    assertTrue(
        source
            .warnings()
            .contains("using --token-file " + file + "; RMIQ_TOKEN is set too and ignored"));
    assertNull(source.classToken(), "a token the user gave is never printed");
  }

  @Test
  void theEnvironmentWinsOverTheClassTokenAndAReadableFileIsWarnedAbout() throws Exception {
    TokenSource.forMaster(env(), null, false);
    assertEquals(
        Token.of("from-env-token"),
        TokenSource.forMaster(env("RMIQ_TOKEN", "from-env-token"), null, false).token());
    Path file = dir.resolve("open.token");
    Files.writeString(file, "readable-by-all\n");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
    assertTrue(TokenSource.forClient(env(), file).warnings().get(0).contains("chmod 600 " + file));
  }

  @Test
  void aWorkerWithoutAnyTokenIsToldHowToGiveOne() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> TokenSource.forClient(env(), null));
    assertTrue(e.getMessage().startsWith("no token: set RMIQ_TOKEN or give --token-file FILE"));
  }

  @Test
  void newTokenWithAGivenTokenIsAUsageError() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> TokenSource.forMaster(env("RMIQ_TOKEN", "x-given-one"), null, true));
    assertTrue(e.getMessage().contains("drop one of them"), e.getMessage());
  }

  @Test
  void classTokensCarryAtLeastFortyBitsFromDistinctWords() {
    assertTrue(ClassToken.dictionarySize() >= 1024);
    double bits = ClassToken.WORDS * Math.log(ClassToken.dictionarySize()) / Math.log(2);
    assertTrue(bits >= 40, bits + " bits");
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < 1000; i++) {
      seen.add(ClassToken.generate());
    }
    assertEquals(1000, seen.size());
  }
}
