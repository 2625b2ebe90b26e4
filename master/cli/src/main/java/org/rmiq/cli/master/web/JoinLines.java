package org.rmiq.cli.master.web;

import java.util.List;

/**
 * The lines a student pastes to join: each downloads this master's worker jar from its page, checks
 * the jar's SHA-256 before anything runs, and starts it with the student's name. None carries the
 * class code (the page is for anyone on the network): the worker reads it from {@code RMIQ_TOKEN}
 * or asks for it, and it is on the board.
 *
 * @param page the page's address, e.g. {@code http://192.168.1.20:8080}
 * @param master the master's address, e.g. {@code 192.168.1.20:5000}
 * @param sha256 the jar's SHA-256 in lower-case hex
 */
record JoinLines(String page, String master, String sha256) {
  JoinLines {
    if (!sha256.matches("[0-9a-f]{64}") || !master.matches("[\\w.:\\[\\]-]+")) {
      throw new IllegalArgumentException("join lines need a SHA-256 and a plain address");
    }
    if (!page.matches("http://[\\w.:\\[\\]-]+")) {
      throw new IllegalArgumentException("join lines need a plain http address, not " + page);
    }
  }

  String jarUrl() {
    return page + "/rmiq-worker.jar";
  }

  /** Linux and macOS (bash or zsh): curl, then sha256sum or (macOS) shasum. */
  String unix() {
    return "curl -fsSLo rmiq-worker.jar "
        + jarUrl()
        + " && echo '"
        + sha256
        + "  rmiq-worker.jar' | (sha256sum -c --quiet - 2>/dev/null || shasum -a 256 -c -)"
        + " && java -jar rmiq-worker.jar "
        + master
        + " --name \"${USER:-student}\"";
  }

  /** Windows PowerShell: Invoke-WebRequest and Get-FileHash (case does not matter to -eq). */
  String powershell() {
    return "Invoke-WebRequest -UseBasicParsing -OutFile rmiq-worker.jar "
        + jarUrl()
        + "; if ((Get-FileHash rmiq-worker.jar -Algorithm SHA256).Hash -eq '"
        + sha256
        + "') { java -jar rmiq-worker.jar "
        + master
        + " --name $env:USERNAME } else { Write-Host 'rmiq-worker.jar is damaged: download it"
        + " again' }";
  }

  /** Windows cmd: curl.exe (Windows 10 and newer) and certutil. */
  String cmd() {
    return "curl.exe -fsSLo rmiq-worker.jar "
        + jarUrl()
        + " && certutil -hashfile rmiq-worker.jar SHA256 | find /i \""
        + sha256
        + "\" >nul && java -jar rmiq-worker.jar "
        + master
        + " --name %USERNAME% || echo rmiq-worker.jar did not download whole, or Java is missing";
  }

  /** Every line, with the shell it is for. */
  List<String[]> all() {
    return List.of(
        new String[] {"Linux or macOS (Terminal)", unix()},
        new String[] {"Windows PowerShell", powershell()},
        new String[] {"Windows Command Prompt (cmd)", cmd()});
  }
}
