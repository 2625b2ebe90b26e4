package org.rmiq.util;

import java.net.IDN;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * The rule for what a download may fetch: an absolute {@code http} or {@code https} URL with a host
 * and no user name or password. The master checks every line of a download job with it, and the
 * worker checks every redirect hop again.
 */
public final class WebAddress {
  /** Longest URL accepted, in characters. */
  public static final int MAX_CHARS = 8192;

  private WebAddress() {}

  /**
   * Parses and checks a URL; the fragment ({@code #…}) is dropped, as a browser does.
   *
   * @throws IllegalArgumentException saying what is wrong and how to write it instead
   */
  public static URI parse(String text) {
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException("the URL is empty");
    }
    if (text.length() > MAX_CHARS) {
      throw new IllegalArgumentException(
          "the URL is " + text.length() + " characters; the" + " limit is " + MAX_CHARS);
    }
    URI uri;
    try {
      uri = new URI(text.strip());
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException(
          "not a valid URL: "
              + e.getReason()
              + " at character "
              + (e.getIndex() + 1)
              + " (write spaces and other special characters %-encoded, e.g."
              + " %20)");
    }
    return check(withAsciiHost(uri));
  }

  /**
   * Writes an internationalized host name ({@code bücher.example}) in its ASCII form ({@code
   * xn--bcher-kva.example}), which {@link URI} and DNS understand.
   */
  private static URI withAsciiHost(URI uri) {
    String authority = uri.getRawAuthority();
    if (uri.getHost() != null
        || authority == null
        || authority.contains("@")
        || authority.chars().allMatch(c -> c < 128)) {
      return uri;
    }
    int colon = authority.lastIndexOf(':');
    String host = colon < 0 ? authority : authority.substring(0, colon);
    String port = colon < 0 ? "" : authority.substring(colon);
    try {
      return new URI(
          uri.getScheme()
              + "://"
              + IDN.toASCII(host, IDN.ALLOW_UNASSIGNED)
              + port
              + (uri.getRawPath() == null ? "" : uri.getRawPath())
              + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery()));
    } catch (URISyntaxException | IllegalArgumentException e) {
      return uri; // check() then names the host as invalid
    }
  }

  /**
   * Checks an already parsed URL (e.g. a redirect target resolved against the page).
   *
   * @throws IllegalArgumentException saying what is wrong
   */
  public static URI check(URI uri) {
    String scheme = uri.getScheme() == null ? null : uri.getScheme().toLowerCase(Locale.ROOT);
    if (scheme == null) {
      throw new IllegalArgumentException(
          "not an absolute URL: start it with http:// or" + " https://");
    }
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw new IllegalArgumentException(
          "only http and https URLs are downloaded, not " + scheme + ":");
    }
    if (uri.getRawUserInfo() != null) {
      throw new IllegalArgumentException(
          "the URL contains a user name or password (user@host);"
              + " rmiq does not send credentials, so remove them");
    }
    if (uri.getHost() == null) {
      throw new IllegalArgumentException("the URL has no valid host name after " + scheme + "://");
    }
    if (uri.getPort() > 65535) {
      throw new IllegalArgumentException("port " + uri.getPort() + " is not 1..65535");
    }
    try {
      // Normalized: lower-case scheme, no fragment; an empty path becomes "/".
      String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
      String query = uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery();
      return new URI(scheme + "://" + uri.getRawAuthority() + path + query);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("not a valid URL: " + e.getReason(), e);
    }
  }
}
