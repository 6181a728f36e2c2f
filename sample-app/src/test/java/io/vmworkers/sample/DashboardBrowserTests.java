package io.vmworkers.sample;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import io.vmworkers.dispatch.ReplicaHandle;
import io.vmworkers.dispatch.VmDispatcher;
import io.vmworkers.dispatch.WorkerHandle;
import io.vmworkers.dispatch.WorkerState;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.util.FileSystemUtils;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The dashboard at {@code /} in headless Chromium, against the running sample with its traffic.
 * Skipped where Chromium is not installed ({@code .ci/run} installs it).
 */
@Timeout(value = 150, unit = TimeUnit.SECONDS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DashboardBrowserTests {

	private static final Path CHROMIUM = Path.of("/usr/bin/chromium");

	private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

	private static ConfigurableApplicationContext context;

	private static ChromeDriver browser;

	private static Path profile;

	private static String base;

	@BeforeAll
	static void start() throws IOException {
		assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
				"Chromium and its driver are not installed (apt-get install chromium chromium-driver)");
		// Arguments, not default properties: they override the sample's application.properties.
		context = new SpringApplicationBuilder(SampleApplication.class).run("--server.port=0",
				"--server.address=127.0.0.1", "--spring.main.banner-mode=off", "--sample.rounds=100",
				"--vmworkers.inherit-jvm-options=false", "--vmworkers.heartbeat-timeout=10s",
				"--vmworkers.workers.countingTask.jvm-options=-Xmx64m,-XX:TieredStopAtLevel=1,-XX:+UseSerialGC");
		base = "http://127.0.0.1:" + context.getEnvironment().getRequiredProperty("local.server.port") + "/";
		profile = Files.createTempDirectory("vmworkers-chromium-");
		ChromeOptions options = new ChromeOptions();
		options.setBinary(CHROMIUM.toFile());
		options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
				"--disable-background-networking", "--disable-component-update", "--disable-sync",
				"--disable-dev-shm-usage", "--user-data-dir=" + profile, "--window-size=1280,1000");
		ChromeDriverService service = new ChromeDriverService.Builder()
			.usingDriverExecutable(CHROMEDRIVER.toFile())
			.usingAnyFreePort()
			.build();
		browser = new ChromeDriver(service, options);
		browser.manage().timeouts().scriptTimeout(Duration.ofSeconds(10));
	}

	@AfterAll
	static void stop() throws IOException {
		if (browser != null) {
			browser.quit();
		}
		if (context != null) {
			context.close();
		}
		if (profile != null) {
			FileSystemUtils.deleteRecursively(profile);
		}
		assertThat(ProcessHandle.current().children().filter(ProcessHandle::isAlive)).isEmpty();
		assertThat(channelFiles()).isEmpty();
	}

	@Test
	@Order(1)
	void pageShowsACardPerWorker() throws Exception {
		browser.get(base);
		assertThat(browser.getTitle()).isEqualTo("vmworkers dashboard");
		VmDispatcher dispatcher = context.getBean(VmDispatcher.class);
		await().atMost(Duration.ofSeconds(10))
			.until(() -> cards().size() == dispatcher.workers().size()
					&& text(card("countingTask"), ".state").equals("ready"));
		WebElement card = card("countingTask");
		assertThat(text(card, ".pid")).isEqualTo(Long.toString(dispatcher.worker("countingTask").pid()));
		assertThat(text(card, ".uptime")).matches("(\\d+m )?\\d+s");
		// The sample's pool of two replicas: one row per process.
		List<String> pids = dispatcher.worker("countingTask")
			.replicas()
			.stream()
			.map((replica) -> Long.toString(replica.pid()))
			.toList();
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
			List<WebElement> rows = card("countingTask").findElements(By.cssSelector("tr.replica"));
			assertThat(rows).hasSize(2);
			assertThat(rows).allSatisfy((row) -> {
				assertThat(text(row, ".replica-role")).isEqualTo("replica");
				assertThat(text(row, ".replica-state")).isEqualTo("ready");
			});
			assertThat(rows).extracting((row) -> text(row, ".replica-pid")).containsExactlyElementsOf(pids);
		});
		// The endpoint lists both processes under the worker's "replicas".
		String json = endpoint();
		assertThat(json).contains("\"replicas\":[");
		assertThat(json.split("\"role\":\"replica\"", -1)).hasSize(3);
		pids.forEach((pid) -> assertThat(json).contains("\"pid\":" + pid + ","));
		assertThat(card.findElement(By.cssSelector("button.restart")).isEnabled()).isTrue();
	}

	@Test
	@Order(2)
	void chartFiguresGrowWhileTrafficFlows() {
		await().atMost(Duration.ofSeconds(10)).until(() -> latestRate("messages-chart") > 0);
		long points = points("messages-chart");
		long messages = Long.parseLong(text(card("countingTask"), ".messages-total"));
		await().atMost(Duration.ofSeconds(10))
			.until(() -> points("messages-chart") >= points + 3
					&& Long.parseLong(text(card("countingTask"), ".messages-total")) > messages);
		assertThat(latestRate("messages-chart")).isPositive();
		assertThat(latestRate("bytes-chart")).isPositive();
		assertThat(points("bytes-chart")).isEqualTo(points("messages-chart"));
		screenshot("dashboard.png");
	}

	@Test
	@Order(3)
	void restartButtonRestartsTheWorker() throws Exception {
		WorkerHandle worker = context.getBean(VmDispatcher.class).worker("countingTask");
		List<Long> before = worker.replicas().stream().map(ReplicaHandle::pid).toList();
		int starts = worker.startCount();
		card("countingTask").findElement(By.cssSelector("button.restart")).click();
		// Rolling: each of the two replicas is replaced in turn.
		await().atMost(Duration.ofSeconds(90))
			.until(() -> worker.startCount() == starts + 2 && worker.state() == WorkerState.READY);
		await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
			WebElement card = card("countingTask");
			assertThat(text(card, ".state")).isEqualTo("ready");
			assertThat(text(card, ".pid")).isEqualTo(Long.toString(worker.pid()));
			assertThat(text(card, ".restarts")).isEqualTo("2");
		});
		assertThat(worker.replicas().stream().map(ReplicaHandle::pid)).doesNotContainAnyElementsOf(before);
		await().atMost(Duration.ofSeconds(10))
			.until(() -> before.stream().noneMatch((pid) -> ProcessHandle.of(pid).filter(ProcessHandle::isAlive).isPresent()));
		// Traffic flows again through the new process.
		long messages = worker.statistics().messagesToWorker();
		await().atMost(Duration.ofSeconds(10)).until(() -> worker.statistics().messagesToWorker() > messages + 100);
		assertThat(endpoint()).contains("\"pid\":" + worker.pid());
	}

	private static List<WebElement> cards() {
		return browser.findElements(By.cssSelector(".worker-card"));
	}

	private static WebElement card(String worker) {
		return browser.findElement(By.cssSelector(".worker-card[data-worker='" + worker + "']"));
	}

	private static String text(WebElement card, String selector) {
		// textContent: getText() would apply the page's text-transform.
		return card.findElement(By.cssSelector(selector)).getDomProperty("textContent").trim();
	}

	/** Data points of the chart's first series. */
	private static long points(String chart) {
		Object points = browser.executeScript("const series = echarts.getInstanceByDom(document.getElementById("
				+ "arguments[0])).getOption().series; return series.length ? series[0].data.length : 0;", chart);
		return ((Number) points).longValue();
	}

	/** The latest value of the chart's first series. */
	private static double latestRate(String chart) {
		Object value = browser.executeScript("const series = echarts.getInstanceByDom(document.getElementById("
				+ "arguments[0])).getOption().series; if (!series.length || !series[0].data.length) { return 0; }"
				+ " const data = series[0].data; return data[data.length - 1][1];", chart);
		return ((Number) value).doubleValue();
	}

	private static void screenshot(String name) {
		try {
			File shot = browser.getScreenshotAs(OutputType.FILE);
			Path target = Path.of("target", name);
			Files.createDirectories(target.getParent());
			Files.copy(shot.toPath(), target, StandardCopyOption.REPLACE_EXISTING);
		}
		catch (IOException | RuntimeException ex) {
			// A picture for people; the assertions above are the test.
		}
	}

	private static String endpoint() throws IOException, InterruptedException {
		HttpResponse<String> response = HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create(base + "actuator/vmworkers")).build(),
					HttpResponse.BodyHandlers.ofString());
		return response.body();
	}

	private static List<Path> channelFiles() throws IOException {
		try (Stream<Path> files = Files.list(Path.of("/dev/shm"))) {
			long pid = ProcessHandle.current().pid();
			return files.filter((file) -> file.getFileName().toString().startsWith("vmworkers-" + pid + "-")).toList();
		}
	}

}
