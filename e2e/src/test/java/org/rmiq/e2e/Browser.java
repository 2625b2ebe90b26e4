package org.rmiq.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * The system's headless Chromium under Selenium, for the page tests; closing it ends the browser
 * and its driver. Skips the test where Chromium is missing, except on CI, which installs it.
 */
final class Browser implements AutoCloseable {
  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

  /** Where screenshots are also saved when set (the docs' pictures are made this way). */
  private static final String SCREENSHOTS = System.getProperty("rmiq.screenshots", "");

  final ChromeDriver driver;
  private final ChromeDriverService service;

  private Browser(ChromeDriver driver, ChromeDriverService service) {
    this.driver = driver;
    this.service = service;
  }

  static Browser start(Path dir, int width, int height) throws IOException {
    boolean ci = "true".equals(System.getenv("CI"));
    Assumptions.assumeTrue(
        ci || (Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER)),
        "no /usr/bin/chromium + /usr/bin/chromedriver"
            + " here (apt-get install chromium chromium-driver); .ci/run installs them");
    ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM.toFile());
    options.addArguments(
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--hide-scrollbars",
        "--window-size=" + width + "," + height,
        "--user-data-dir=" + dir.resolve("chromium-profile-" + System.nanoTime()));
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(CHROMEDRIVER.toFile())
            .usingAnyFreePort()
            .build();
    return new Browser(new ChromeDriver(service, options), service);
  }

  /** Saves what the browser shows to {@code dir/name}, and to -Drmiq.screenshots when set. */
  void screenshot(Path dir, String name) throws IOException {
    // the whole page, not just the window: the speed-up chart sits below the fold
    org.openqa.selenium.Dimension window = driver.manage().window().getSize();
    long height =
        ((Number) driver.executeScript("return document.documentElement.scrollHeight")).longValue();
    driver
        .manage()
        .window()
        .setSize(
            new org.openqa.selenium.Dimension(
                window.getWidth(), (int) Math.min(height + 140, 4000)));
    byte[] png = driver.getScreenshotAs(OutputType.BYTES);
    driver.manage().window().setSize(window);
    Files.write(dir.resolve(name), png);
    if (!SCREENSHOTS.isEmpty()) {
      Files.createDirectories(Path.of(SCREENSHOTS));
      Files.write(Path.of(SCREENSHOTS, name), png);
    }
  }

  @Override
  public void close() {
    driver.quit();
    service.stop();
  }
}
