package io.netloom.itests.console;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Debian's headless Chromium driven through its chromedriver, pointed at the Netloom console of one
 * {@code NetloomProcess}. Both binaries are given by path, so Selenium Manager never looks for (or downloads)
 * anything. {@link #close()} quits the browser, ends by pid any Chromium process still running on this browser's own
 * profile directory, and deletes that directory.
 */
final class ConsoleBrowser implements AutoCloseable {

    static final String CHROMIUM = "/usr/bin/chromium";
    static final String CHROMEDRIVER = "/usr/bin/chromedriver";
    private static final Duration WAIT = Duration.ofSeconds(15);

    private final Path profile;
    private final String consoleUrl;
    private final ChromeDriverService service;
    private final ChromeDriver driver;

    /**
     * Starts Chromium with a fresh profile under {@code profileParent}.
     *
     * @param consoleUrl the console's address, ending in {@code /netloom/console/}
     * @param profileParent where to make the profile directory (under {@code target/})
     */
    ConsoleBrowser(String consoleUrl, Path profileParent) throws IOException {
        if (!Files.isExecutable(Path.of(CHROMIUM)) || !Files.isExecutable(Path.of(CHROMEDRIVER))) {
            throw new IllegalStateException("Browser tests need Debian's chromium and chromium-driver "
                    + "(apt-get install -y chromium chromium-driver, as .ci/run does)");
        }
        this.consoleUrl = consoleUrl;
        Files.createDirectories(profileParent);
        profile = Files.createTempDirectory(profileParent, "chromium-");
        System.setProperty("webdriver.chrome.driver", CHROMEDRIVER);
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM);
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--window-size=1280,800", "--user-data-dir=" + profile);
        service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(CHROMEDRIVER))
                .usingAnyFreePort()
                .build();
        ChromeDriver started;
        try {
            started = new ChromeDriver(service, options);
        } catch (RuntimeException e) {
            service.stop();
            endLeftovers();
            deleteProfile();
            throw e;
        }
        driver = started;
    }

    WebDriver driver() {
        return driver;
    }

    /** Opens the console at a route ("#/ports"), or its bare address for "". */
    void open(String hash) {
        driver.get(consoleUrl + hash);
    }

    WebElement waitFor(By by) {
        return new WebDriverWait(driver, WAIT).until(ExpectedConditions.visibilityOfElementLocated(by));
    }

    WebElement waitPresent(By by) {
        return new WebDriverWait(driver, WAIT).until(ExpectedConditions.presenceOfElementLocated(by));
    }

    void waitGone(By by) {
        new WebDriverWait(driver, WAIT).until(ExpectedConditions.numberOfElementsToBe(by, 0));
    }

    /** Waits until the page section of a route has finished its first render. */
    WebElement waitPage(String page) {
        return waitPresent(By.cssSelector("section.page[data-page='" + page + "'][data-state='ready']"));
    }

    /** Follows a navigation link and waits for the new page, never mistaking the old one for it. */
    WebElement navigate(String route) {
        WebElement before = driver.findElement(By.cssSelector("section.page"));
        driver.findElement(By.cssSelector("nav a[data-route='" + route + "']")).click();
        new WebDriverWait(driver, WAIT).until(ExpectedConditions.stalenessOf(before));
        return waitPage(route);
    }

    /** Clicks a link or button that leads to another page and waits for that page. */
    WebElement follow(WebElement link, String page) {
        WebElement before = driver.findElement(By.cssSelector("section.page"));
        link.click();
        new WebDriverWait(driver, WAIT).until(ExpectedConditions.stalenessOf(before));
        return waitPage(page);
    }

    void logIn(String user, String password) {
        WebElement form = waitFor(By.id("login-form"));
        type(form, "user", user);
        type(form, "password", password);
        form.findElement(By.cssSelector("button[type=submit]")).click();
    }

    static void type(WebElement form, String field, String text) {
        WebElement input = form.findElement(By.name(field));
        input.clear();
        input.sendKeys(text);
    }

    static void choose(WebElement form, String field, String visibleText) {
        new Select(form.findElement(By.name(field))).selectByVisibleText(visibleText);
    }

    static void submit(WebElement form) {
        form.findElement(By.cssSelector("button[type=submit]")).click();
    }

    /** Clicks a two-step (arm, then confirm) delete button. */
    void confirmDelete(WebElement button) {
        button.click();
        new WebDriverWait(driver, WAIT).until(d -> button.getAttribute("class").contains("armed"));
        button.click();
    }

    Object script(String js, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(js, args);
    }

    void resize(int width, int height) {
        driver.manage().window().setSize(new Dimension(width, height));
    }

    void screenshot(Path file) throws IOException {
        File shot = ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE);
        Files.createDirectories(file.getParent());
        Files.copy(shot.toPath(), file, StandardCopyOption.REPLACE_EXISTING);
    }

    @Override
    public void close() throws IOException {
        try {
            driver.quit();
        } finally {
            service.stop();
            endLeftovers();
            deleteProfile();
        }
    }

    private void deleteProfile() throws IOException {
        try (Stream<Path> paths = Files.walk(profile)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }

    /** Chromium processes of this profile that outlived quit(), ended by pid: never by name. */
    private void endLeftovers() {
        String marker = "--user-data-dir=" + profile;
        List<ProcessHandle> leftovers;
        try (Stream<ProcessHandle> all = ProcessHandle.allProcesses()) {
            leftovers = all.filter(p -> p.info().commandLine().orElse("").contains(marker)).toList();
        }
        for (ProcessHandle process : leftovers) {
            process.destroy();
        }
        for (ProcessHandle process : leftovers) {
            try {
                process.onExit().get(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            } catch (ExecutionException | TimeoutException e) {
                process.destroyForcibly();
            }
        }
    }
}
