package org.rmiq.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.rmiq.net.Token;

/**
 * The token a command uses and where it came from, which every command says: {@code --token-file
 * FILE} beats {@code RMIQ_TOKEN}, which beats this machine's class token ({@link ClassToken}).
 *
 * @param token the token
 * @param source where it came from, for messages, e.g. {@code --token-file class.token}
 * @param tokenFile the {@code --token-file} given, or null
 * @param classToken the class token's text when it is the one used (a master prints it in the join
 *     command), else null
 * @param warnings things to tell the user (a token file others can read, a short token, a class
 *     token made just now)
 */
public record TokenSource(
    Token token, String source, Path tokenFile, String classToken, List<String> warnings) {

  /**
   * The master's token; without {@code --token-file} or {@code RMIQ_TOKEN}, this machine's class
   * token, made at first use; {@code newToken} replaces it first.
   *
   * @throws IllegalArgumentException naming the flag or file that is wrong
   */
  public static TokenSource forMaster(Map<String, String> env, Path tokenFile, boolean newToken) {
    if (newToken && (tokenFile != null || isSet(env))) {
      throw new IllegalArgumentException(
          "--new-token replaces this machine's class token, but this master was given "
              + (tokenFile != null ? "--token-file " + tokenFile : "RMIQ_TOKEN")
              + "; drop one of them");
    }
    TokenSource given = given(env, tokenFile);
    if (given != null) {
      return given;
    }
    Path file = ClassToken.file(env);
    try {
      List<String> warnings = new ArrayList<>();
      String text;
      if (newToken) {
        text = ClassToken.renew(file);
        warnings.add("made a new class token (" + file + "); workers need the new one");
      } else {
        ClassToken.Loaded loaded = ClassToken.loadOrCreate(file);
        text = loaded.token();
        if (loaded.made()) {
          warnings.add(
              "made this machine's class token ("
                  + file
                  + "); every master here uses it until --new-token");
        }
      }
      return new TokenSource(
          Token.of(text), "this machine's class token (" + file + ")", null, text, warnings);
    } catch (IOException | IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "this machine's class token "
              + file
              + " cannot be read or made ("
              + e.getMessage()
              + "); fix the file or its folder, or give --token-file FILE",
          e);
    }
  }

  /**
   * A worker's or status command's token; without {@code --token-file} or {@code RMIQ_TOKEN}, this
   * machine's class token if a master made one here.
   *
   * @throws IllegalArgumentException when there is none, saying how to give one
   */
  public static TokenSource forClient(Map<String, String> env, Path tokenFile) {
    TokenSource given = given(env, tokenFile);
    if (given != null) {
      return given;
    }
    Path file = ClassToken.file(env);
    if (Files.isRegularFile(file)) {
      Token token = Token.fromFile(file, "this machine's class token " + file);
      return new TokenSource(
          token, "this machine's class token (" + file + ")", null, null, List.of());
    }
    throw new IllegalArgumentException(
        "no token: set RMIQ_TOKEN or give --token-file FILE; the master prints the whole join"
            + " command, token included, when it starts");
  }

  private static TokenSource given(Map<String, String> env, Path tokenFile) {
    List<String> warnings = new ArrayList<>();
    if (tokenFile != null) {
      String flag = "--token-file " + tokenFile;
      Token token = Token.fromFile(tokenFile, flag);
      Token.permissionWarning(tokenFile, flag).ifPresent(warnings::add);
      if (isSet(env)) {
        warnings.add("using " + flag + "; RMIQ_TOKEN is set too and ignored");
      }
      shortWarning(token).ifPresent(warnings::add);
      return new TokenSource(token, flag, tokenFile, null, warnings);
    }
    if (isSet(env)) {
      Token token = Token.of(env.get(Token.ENV));
      shortWarning(token).ifPresent(warnings::add);
      return new TokenSource(token, "RMIQ_TOKEN", null, null, warnings);
    }
    return null;
  }

  private static java.util.Optional<String> shortWarning(Token token) {
    return token.isShort()
        ? java.util.Optional.of(
            "the token is shorter than "
                + Token.SHORT
                + " characters: a stranger guessing 10 a minute could find it; the class token"
                + " (leave RMIQ_TOKEN unset) has four words")
        : java.util.Optional.empty();
  }

  private static boolean isSet(Map<String, String> env) {
    String value = env.get(Token.ENV);
    return value != null && !value.isBlank();
  }
}
